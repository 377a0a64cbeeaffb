/** A small provider described the way generated metadata describes one, plus a local HTTP server. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ApiMetadata, OperationMetadata } from "../src/metadata.js";

export const SECRET = "sk-test-0123456789abcdef";

export const api: ApiMetadata = {
  name: "testprov",
  title: "Test Provider API",
  version: "1.0.0",
  baseUrl: "https://api.example.test",
  auth: [{ scheme: "key", type: "apiKey", in: "query", name: "app_key" }],
  requestIdHeader: "X-Request-Id",
  envelope: { data: "data", requestId: "request_id", error: "error", errorCode: "code", errorMessage: "message" },
  errorCodes: { InvalidParameter: 400, RequestTooFrequently: 429, InternalError: 500 },
};

const op = (path: string, operationId: string, retrySafe: boolean): OperationMetadata => ({
  operationId,
  method: "POST",
  path,
  retrySafe,
  rateLimits: [{ bucket: "per-second", requests: 50, periodSeconds: 1 }],
});

export const operations: Record<string, OperationMetadata> = {
  "POST /things/create": op("/things/create", "createThing", false),
  "POST /things/get": op("/things/get", "getThing", true),
};

export interface Hit {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

type Handler = (hit: Hit, res: http.ServerResponse, index: number) => void | Promise<void>;

/** A loopback server on a port chosen by the OS; records every request it receives. */
export async function localServer(handler: Handler) {
  const hits: Hit[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const hit = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, at: Date.now() };
    hits.push(hit);
    await handler(hit, res, hits.length - 1);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** A provider without an envelope, with Grafana-style cursor pagination, request ids and retry rules. */
export const plainApi: ApiMetadata = {
  ...api,
  name: "plainprov",
  title: "Plain Provider API",
  auth: [{ scheme: "token", type: "http", httpScheme: "bearer" }],
  requestIdHeader: null,
  envelope: null,
  errorCodes: { Conflict: 409, InvalidArgument: 409 },
};

export const plainOperations: Record<string, OperationMetadata> = {
  "GET /items": {
    operationId: "listItems",
    method: "GET",
    path: "/items",
    retrySafe: true,
    rateLimits: [],
    pagination: { style: "cursor", items: "items", nextPage: "metadata.pagination.nextPage" },
  },
  "POST /items": { operationId: "createItem", method: "POST", path: "/items", retrySafe: false, rateLimits: [], clientRequestIdHeader: "x-request-id" },
  "POST /plugins": {
    operationId: "installPlugin",
    method: "POST",
    path: "/plugins",
    retrySafe: false,
    rateLimits: [],
    retryOn: [{ status: 409, messageIncludes: "another operation is already in progress" }],
  },
};
