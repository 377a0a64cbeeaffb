/** A small provider described the way generated metadata describes one, plus a local HTTP server. */
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

// Tests use @o11ykit/mock's recording server; these aliases keep their names short.
// The mock package's recording server, by source path: the core must not depend on the mock (that
// would put every spec upstream of the core's build), and the server has no dependencies of its own.
import { startRecordingServer, type RecordingServer, type ScriptedHandler } from "../../mock/src/recording-server.js";
import { afterEach } from "vitest";
export { startRecordingServer as localServer, sendJson as json } from "../../mock/src/recording-server.js";

/** A `serve(handler)` for a test file whose servers are all closed after each test. */
export function serversClosedAfterEach(): (handler: ScriptedHandler) => Promise<RecordingServer> {
  const open: RecordingServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  return async (handler) => {
    const server = await startRecordingServer(handler);
    open.push(server);
    return server;
  };
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
