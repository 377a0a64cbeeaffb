/**
 * What a call sends. Without middleware the client builds the request itself with openapi-fetch's
 * serialisers (no Request object); with middleware it goes through openapi-fetch's client. Both must
 * send the same thing, and the client's methods must work taken off it, as openapi-fetch's do.
 */
import { describe, expect, it } from "vitest";
import type { Middleware } from "openapi-fetch";
import { createApiClient, type ClientOptions } from "../src/client.js";
import { ConfigError } from "../src/errors.js";
import type { OperationMetadata } from "../src/metadata.js";
import { LimiterRegistry } from "../src/rate-limiter.js";
import { api, json, SECRET, serversClosedAfterEach } from "./fixtures.js";

type Result = Promise<{ data?: any; error?: any; response: Response }>;
type Client = {
  GET: (path: string, init?: Record<string, unknown>) => Result;
  POST: (path: string, init?: Record<string, unknown>) => Result;
  use: (...m: Middleware[]) => void;
  eject: (...m: Middleware[]) => void;
  things: { get: (init?: Record<string, unknown>) => Result };
};

const serve = serversClosedAfterEach();

const op = (method: "GET" | "POST", path: string, operationId: string, call: string): OperationMetadata => ({ operationId, call, method, path, retrySafe: true, rateLimits: [] });
const operations = {
  "POST /things/get": op("POST", "/things/get", "getThing", "things.get"),
  "GET /things/{id}": op("GET", "/things/{id}", "readThing", "things.read"),
};

function client(baseUrl: string, options: ClientOptions = {}): Client {
  return createApiClient({ factory: "createTestClient", api, operations, credential: SECRET, options: { baseUrl, limiters: new LimiterRegistry(), ...options } }) as unknown as Client;
}

const ok = (data: unknown) => ({ request_id: "req-1", data });

describe("request building", () => {
  it("encodes path, query, headers and body as openapi-fetch does, with or without middleware", async () => {
    const server = await serve((_hit, res) => json(res, 200, ok({ id: 1 })));
    const init = { params: { path: { id: "a b/c" }, query: { tags: ["x", "y"], page: 2 }, header: { "x-trace": "t1" } }, headers: { "x-extra": "e" } };
    const c = client(server.url, { headers: { "x-base": "b" } });
    await c.GET("/things/{id}", init);
    const noop: Middleware = { onRequest: () => undefined };
    c.use(noop);
    await c.GET("/things/{id}", init);
    const [direct, throughMiddleware] = server.requests;
    expect(direct!.url).toBe(`/things/a%20b%2Fc?tags=x&tags=y&page=2&app_key=${SECRET}`);
    expect(throughMiddleware!.url).toBe(direct!.url);
    for (const request of [direct!, throughMiddleware!]) {
      expect(request.headers).toMatchObject({ "x-trace": "t1", "x-extra": "e", "x-base": "b" });
      expect(request.headers["content-type"]).toBeUndefined();
    }
  });

  it("sends a JSON body with its content type, and a form body when the caller asks for one", async () => {
    const server = await serve((_hit, res) => json(res, 200, ok({})));
    const c = client(server.url);
    await c.POST("/things/get", { body: { id: 7, name: "ä" } });
    await c.POST("/things/get", { body: { id: "7", q: "a&b" }, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(server.requests[0]).toMatchObject({ body: '{"id":7,"name":"ä"}', headers: { "content-type": "application/json" } });
    expect(server.requests[1]).toMatchObject({ body: "id=7&q=a%26b", headers: { "content-type": "application/x-www-form-urlencoded" } });
  });

  it("re-sends a multipart body byte for byte on a retry, with its boundary", async () => {
    const server = await serve((_hit, res, i) => (i === 0 ? json(res, 503, {}) : json(res, 200, ok({}))));
    const form = new FormData();
    form.set("file", new Blob(["col1,col2\n1,2\n"], { type: "text/csv" }), "rows.csv");
    const { error } = await client(server.url).POST("/things/get", { body: form, bodySerializer: (b: unknown) => b });
    expect(error).toBeUndefined();
    const [first, second] = server.requests;
    expect(first!.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(second!.headers["content-type"]).toBe(first!.headers["content-type"]);
    expect(second!.body).toBe(first!.body);
    expect(first!.body).toContain("col1,col2");
  });

  it("passes the caller's fetch options through to fetch", async () => {
    const server = await serve((_hit, res) => json(res, 200, ok({})));
    const seen: RequestInit[] = [];
    const c = client(server.url, {
      fetch: (url, init) => {
        seen.push(init);
        const { keepalive: _k, priority: _p, ...rest } = init as RequestInit & { priority?: string };
        return fetch(url, rest);
      },
    });
    await c.POST("/things/get", { body: {}, keepalive: true, priority: "high" });
    expect(seen[0]).toMatchObject({ keepalive: true, priority: "high", method: "POST", redirect: "manual" });
  });

  it("refuses a body on a GET, naming the option", async () => {
    const c = client("http://127.0.0.1:9");
    await expect(c.GET("/things/{id}", { params: { path: { id: "1" } }, body: { x: 1 } })).rejects.toThrow(ConfigError);
    await expect(c.GET("/things/{id}", { params: { path: { id: "1" } }, body: { x: 1 } })).rejects.toThrow(/option `body` cannot be sent with a GET/);
  });
});

describe("middleware", () => {
  it("runs registered middleware around the transport, and stops once ejected", async () => {
    const server = await serve((_hit, res) => json(res, 200, ok({ id: 1 })));
    const c = client(server.url);
    const seen: string[] = [];
    const tagging: Middleware = {
      onRequest({ request }) {
        request.headers.set("x-tagged", "yes");
        return request;
      },
      onResponse({ response }) {
        seen.push(response.headers.get("x-request-id") ?? "none");
        return undefined;
      },
    };
    c.use(tagging);
    const { data } = await c.POST("/things/get", { body: { id: 1 } });
    expect(data).toEqual({ id: 1 });
    expect(server.requests[0]!.headers["x-tagged"]).toBe("yes");
    expect(server.requests[0]!.url).toBe(`/things/get?app_key=${SECRET}`);
    expect(seen).toEqual(["req-1"]);
    c.eject(tagging);
    await c.POST("/things/get", { body: { id: 1 } });
    expect(server.requests[1]!.headers["x-tagged"]).toBeUndefined();
    expect(seen).toHaveLength(1);
  });

  it("lets a middleware answer without a request reaching the server, its body read as the server's", async () => {
    const server = await serve((_hit, res) => json(res, 200, ok({})));
    const c = client(server.url);
    c.use({ onRequest: () => new Response(JSON.stringify(ok({ cached: true })), { status: 200, headers: { "content-type": "application/json" } }) });
    const { data } = await c.POST("/things/get", { body: {} });
    expect(data).toEqual({ cached: true });
    expect(server.requests).toHaveLength(0);
  });

  it("rejects something that is not middleware, as openapi-fetch does", () => {
    expect(() => client("http://127.0.0.1:9").use({} as Middleware)).toThrow(/Middleware must be an object/);
  });
});

describe("methods taken off the client", () => {
  it("work destructured, each bound to its own client", async () => {
    const one = await serve((_hit, res) => json(res, 200, ok({ server: 1 })));
    const two = await serve((_hit, res) => json(res, 200, ok({ server: 2 })));
    const { POST: postOne, things: thingsOne } = client(one.url);
    const { POST: postTwo } = client(two.url);
    expect((await postOne("/things/get", { body: {} })).data).toEqual({ server: 1 });
    expect((await postTwo("/things/get", { body: {} })).data).toEqual({ server: 2 });
    const { get } = thingsOne;
    expect((await get({ body: {} })).data).toEqual({ server: 1 });
  });

  it("are the same function each time they are read", () => {
    const c = client("http://127.0.0.1:9");
    expect(c.POST).toBe(c.POST);
    expect(c.things).toBe(c.things);
    expect(Object.keys(c)).toEqual([]);
  });
});
