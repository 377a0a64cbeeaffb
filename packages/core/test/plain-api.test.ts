import { describe, expect, it } from "vitest";
import { createApiClient } from "../src/client.js";
import { ApiError, O11ykitError } from "../src/errors.js";
import { LimiterRegistry } from "../src/rate-limiter.js";
import { json, plainApi, plainOperations, serversClosedAfterEach } from "./fixtures.js";

type Result = { data?: any; error?: any; response: Response };
type AnyClient = {
  GET: (path: string, init?: Record<string, unknown>) => Promise<Result>;
  POST: (path: string, init?: Record<string, unknown>) => Promise<Result>;
  paginate: (path: string, init?: Record<string, unknown>) => AsyncIterableIterator<any>;
};

const serve = serversClosedAfterEach();
const client = (baseUrl: string, options: Record<string, unknown> = {}) =>
  createApiClient({ factory: "createPlainClient", api: plainApi, operations: plainOperations, credential: "tok-secret", options: { baseUrl, limiters: new LimiterRegistry(), ...options } }) as unknown as AnyClient;

/** Serves `total` items in pages of `size`, like Grafana: nextPage keeps only the cursor. */
function pagedServer(total: number, size: number) {
  return serve((hit, res) => {
    const url = new URL(hit.url, "http://x");
    const start = Number(url.searchParams.get("pageCursor") ?? "0");
    const items = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, i) => ({ id: start + i }));
    const next = start + size < total ? `/items?pageCursor=${start + size}` : null;
    json(res, 200, { items, metadata: { pagination: { pageSize: size, pageCursor: String(start), nextPage: next } } });
  });
}

describe("paginate", () => {
  it("follows nextPage until null, across several pages, keeping the first call's filters", async () => {
    const server = await pagedServer(1203, 500);
    const ids: number[] = [];
    for await (const item of client(server.url).paginate("/items", { params: { query: { region: "eu" } } })) ids.push(item.id);
    expect(ids).toEqual(Array.from({ length: 1203 }, (_, i) => i));
    expect(server.requests.map((h) => h.url)).toEqual(["/items?region=eu", "/items?region=eu&pageCursor=500", "/items?region=eu&pageCursor=1000"]);
  });

  it("stops early when the caller breaks out, without fetching more pages", async () => {
    const server = await pagedServer(50, 10);
    for await (const item of client(server.url).paginate("/items")) if (item.id === 12) break;
    expect(server.requests).toHaveLength(2);
  });

  it("throws the page's ApiError when a page fails", async () => {
    const server = await serve((hit, res) =>
      hit.url.includes("pageCursor") ? json(res, 403, { code: "Forbidden", message: "no access", requestId: "r-9" }) : json(res, 200, { items: [{ id: 1 }], metadata: { pagination: { nextPage: "/items?pageCursor=x" } } }),
    );
    const seen: unknown[] = [];
    const failure = await (async () => {
      for await (const item of client(server.url).paginate("/items")) seen.push(item);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([{ id: 1 }]);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 403, code: "Forbidden", requestId: "r-9" });
  });

  it("refuses to loop forever on a server that repeats a cursor", async () => {
    const server = await serve((_hit, res) => json(res, 200, { items: [1], metadata: { pagination: { nextPage: "/items?pageCursor=same" } } }));
    const run = async () => {
      for await (const _ of client(server.url).paginate("/items"));
    };
    await expect(run()).rejects.toThrow(O11ykitError);
    await expect(run()).rejects.toThrow(/pagination stopped after 2 page\(s\): the server sent a page already read/);
  });

  it("rejects operations the spec does not paginate", () => {
    expect(() => client("http://127.0.0.1:1").paginate("/plugins")).toThrow(/installPlugin \(POST \/plugins\) is not paginated in the spec/);
  });
});

describe("client request ids", () => {
  it("sends a fresh x-request-id per call and keeps it across that call's retries", async () => {
    const server = await serve((_hit, res, i) => (i === 0 ? json(res, 429, { code: "TooManyRequests" }, { "retry-after": "0" }) : json(res, 200, { id: i })));
    const c = client(server.url);
    await c.POST("/items", { body: { name: "a" } });
    await c.POST("/items", { body: { name: "b" } });
    const ids = server.requests.map((h) => h.headers["x-request-id"]);
    expect(ids).toHaveLength(3);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toBe(ids[0]); // the retry
    expect(ids[2]).not.toBe(ids[0]); // the next call
  });

  it("keeps a request id the caller chose", async () => {
    const server = await serve((_hit, res) => json(res, 200, {}));
    await client(server.url).POST("/items", { body: {}, headers: { "X-Request-Id": "mine" } });
    expect(server.requests[0]!.headers["x-request-id"]).toBe("mine");
  });

  it("sends none on operations that do not declare it", async () => {
    const server = await serve((_hit, res) => json(res, 200, { items: [], metadata: { pagination: { nextPage: null } } }));
    await client(server.url).GET("/items");
    expect(server.requests[0]!.headers["x-request-id"]).toBeUndefined();
  });
});

describe("errors without an envelope", () => {
  it("reads {code, message, requestId} and bare JSON strings", async () => {
    const server = await serve((hit, res) =>
      hit.body.includes("dup") ? json(res, 409, "a stack with this slug already exists") : json(res, 409, { code: "InvalidArgument", message: "name: too long", requestId: "req-7" }),
    );
    const c = client(server.url);
    const invalid = await c.POST("/items", { body: { name: "x" } });
    expect(invalid.error).toMatchObject({ status: 409, code: "InvalidArgument", providerMessage: "name: too long", requestId: "req-7" });
    const bare = await c.POST("/items", { body: { name: "dup" } });
    expect(bare.error).toMatchObject({ status: 409, code: undefined, providerMessage: "a stack with this slug already exists" });
  });
});

describe("retry rules from the spec", () => {
  it("retries a documented transient 409 even for an operation that is not retry-safe", async () => {
    const server = await serve((_hit, res, i) =>
      i < 2 ? json(res, 409, { code: "Conflict", message: "Conflicting operation, another operation is already in progress" }, { "retry-after": "0" }) : json(res, 200, { ok: true }),
    );
    const { data } = await client(server.url).POST("/plugins", { body: { plugin: "p" } });
    expect(data).toEqual({ ok: true });
    expect(server.requests).toHaveLength(3);
  });

  it("does not retry a 409 whose message does not match", async () => {
    const server = await serve((_hit, res) => json(res, 409, { code: "Conflict", message: "plugin already installed" }));
    const { error } = await client(server.url).POST("/plugins", { body: { plugin: "p" } });
    expect(error).toMatchObject({ status: 409, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });
});

describe("required parameters", () => {
  const ops = {
    ...plainOperations,
    "GET /stacks/{slug}": {
      operationId: "getStack",
      method: "GET" as const,
      path: "/stacks/{slug}",
      retrySafe: true,
      rateLimits: [],
      requiredParams: [
        { in: "path" as const, name: "slug", example: "mystack" },
        { in: "query" as const, name: "region", example: "us" },
      ],
    },
  };
  const c = () =>
    createApiClient({ factory: "createPlainClient", api: plainApi, operations: ops, credential: "tok", options: { baseUrl: "http://127.0.0.1:1", limiters: new LimiterRegistry() } }) as unknown as AnyClient;

  it("names a missing path or query parameter and shows how to pass it, before sending", async () => {
    await expect(c().GET("/stacks/{slug}", { params: { query: { region: "us" } } })).rejects.toThrow(
      'getStack (GET /stacks/{slug}): path parameter `slug` is required; pass it as { params: { path: { slug: "mystack" } } }',
    );
    await expect(c().GET("/stacks/{slug}", { params: { path: { slug: "s" } } })).rejects.toThrow(/query parameter `region` is required/);
  });
});

describe("offset pagination", () => {
  const ops = {
    ...plainOperations,
    "GET /alerts": {
      operationId: "listAlerts",
      method: "GET" as const,
      path: "/alerts",
      retrySafe: true,
      rateLimits: [],
      pagination: { style: "offset" as const, limitParam: "limit", offsetParam: "offset", totalHeader: "X-Total-Count" },
    },
  };
  const c = (url: string) =>
    createApiClient({ factory: "createPlainClient", api: plainApi, operations: ops, credential: "tok", options: { baseUrl: url, limiters: new LimiterRegistry() } }) as unknown as AnyClient;

  function alertsServer(total: number, { sendTotal }: { sendTotal: boolean }) {
    return serve((hit, res) => {
      const url = new URL(hit.url, "http://x");
      const limit = Number(url.searchParams.get("limit") ?? 1000);
      const offset = Number(url.searchParams.get("offset") ?? 0);
      const page = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => ({ id: offset + i }));
      json(res, 200, page, sendTotal ? { "x-total-count": String(total) } : {});
    });
  }

  it("walks limit/offset pages and stops at the total the header gives", async () => {
    const server = await alertsServer(25, { sendTotal: true });
    const ids: number[] = [];
    for await (const a of c(server.url).paginate("/alerts", { params: { query: { limit: 10 } } })) ids.push(a.id);
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(server.requests.map((r) => r.url)).toEqual(["/alerts?limit=10&offset=0", "/alerts?limit=10&offset=10", "/alerts?limit=10&offset=20"]);
  });

  it("stops on a short page when no total is sent, and on an empty page when no limit is set either", async () => {
    const server = await alertsServer(20, { sendTotal: false });
    let n = 0;
    for await (const _ of c(server.url).paginate("/alerts", { params: { query: { limit: 10 } } })) n++;
    expect(n).toBe(20);
    expect(server.requests).toHaveLength(3); // 10, 10, then an empty page
  });
});
