import { getEventListeners } from "node:events";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createApiClient, type ClientOptions } from "../src/client.js";
import { ApiError, ConfigError, ConnectionError, RateLimitError, TimeoutError } from "../src/errors.js";
import { LimiterRegistry, type LimiterStore } from "../src/rate-limiter.js";
import type { ApiMetadata, CompactOperation } from "../src/metadata.js";
import { api, json, operations, SECRET, serversClosedAfterEach } from "./fixtures.js";

type AnyClient = { POST: (path: string, init?: Record<string, unknown>) => Promise<{ data?: any; error?: any; response: Response }> };

const serve = serversClosedAfterEach();

/** A client of the fixtures' API (or of `spec`), with limiters of its own unless `options` gives some. */
function client(baseUrl: string, options: ClientOptions = {}, spec: Pick<Parameters<typeof createApiClient>[0], "api" | "operations"> = { api, operations }): AnyClient {
  return createApiClient({
    factory: "createTestClient",
    ...spec,
    credential: SECRET,
    options: { baseUrl, limiters: new LimiterRegistry(), ...options },
  }) as unknown as AnyClient;
}

/** Settles after `ms` with a message, for racing a call that must not wait that long. */
const stillWaitingAfter = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms, `still waiting after ${ms} ms`));

const ok = (data: unknown) => ({ request_id: "req-1", data });
const fail = (code: string, message: string) => ({ request_id: "req-2", error: { code, message } });

describe("envelopes", () => {
  it("hands callers the payload and keeps the request id in a header", async () => {
    const server = await serve((_hit, res) => json(res, 200, ok({ id: 7 })));
    const { data, error, response } = await client(server.url).POST("/things/get", { body: { id: 7 } });
    expect(error).toBeUndefined();
    expect(data).toEqual({ id: 7 });
    expect(response.headers.get("x-request-id")).toBe("req-1");
  });

  it("treats an error object in a 2xx body as an error with the code's usual status", async () => {
    const server = await serve((_hit, res) => json(res, 200, fail("InvalidParameter", "name: required")));
    const { data, error } = await client(server.url).POST("/things/create", { body: {} });
    expect(data).toBeUndefined();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, httpStatus: 200, code: "InvalidParameter", providerMessage: "name: required", requestId: "req-2" });
    expect(error.message).toMatch(/createThing \(POST \/things\/create\) failed: 400 InvalidParameter: name: required \(the error arrived in an HTTP 200 body\)/);
  });

  it("turns plain-text and empty error bodies into ApiError without a parse crash", async () => {
    const server = await serve((hit, res) => {
      if (hit.url.startsWith("/things/create")) {
        res.writeHead(401, { "content-type": "text/plain" });
        res.end("Unauthorized");
      } else {
        res.writeHead(502);
        res.end();
      }
    });
    const c = client(server.url, { maxRetries: 0 });
    const text = await c.POST("/things/create", { body: {} });
    expect(text.error).toMatchObject({ status: 401, code: undefined, providerMessage: "Unauthorized" });
    const empty = await c.POST("/things/get", { body: {} });
    expect(empty.error).toMatchObject({ status: 502 });
  });

  it("reports a non-JSON success body as an error instead of returning garbage", async () => {
    const server = await serve((_hit, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>maintenance</html>");
    });
    const { error } = await client(server.url, { maxRetries: 0 }).POST("/things/create", { body: {} });
    expect(error).toMatchObject({ status: 502, httpStatus: 200, code: "InvalidResponse", body: "<html>maintenance</html>" });
    expect(error?.providerMessage).toBe('the HTTP 200 answer is not JSON (text/html: "<html>maintenance</html>")');
  });
});

describe("retries", () => {
  it("retries 429 for any operation, honouring Retry-After, with identical requests", async () => {
    const server = await serve((_hit, res, i) =>
      i === 0 ? json(res, 429, fail("RequestTooFrequently", "slow down"), { "retry-after": "1" }) : json(res, 200, ok({ id: 1 })),
    );
    const started = Date.now();
    const { data } = await client(server.url).POST("/things/create", { body: { name: "a" }, headers: { "x-trace": "t1" } });
    expect(data).toEqual({ id: 1 });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    const [first, second] = server.requests;
    expect(second!.body).toBe(first!.body);
    expect(second!.url).toBe(first!.url);
    const strip = (h: Record<string, unknown>) => ({ ...h, connection: undefined });
    expect(strip(second!.headers)).toEqual(strip(first!.headers));
  });

  it("retries a 429 that arrives inside a 200 body", async () => {
    const server = await serve((_hit, res, i) =>
      i === 0 ? json(res, 200, fail("RequestTooFrequently", "slow down"), { "retry-after": "0" }) : json(res, 200, ok(true)),
    );
    const { data } = await client(server.url).POST("/things/create", { body: {} });
    expect(data).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it("fails fast when Retry-After exceeds the caller's budget", async () => {
    const server = await serve((_hit, res) => json(res, 429, fail("RequestTooFrequently", "hourly quota"), { "retry-after": "3500" }));
    const started = Date.now();
    const { error } = await client(server.url, { maxRetryWaitMs: 30_000 }).POST("/things/get", { body: {} });
    expect(Date.now() - started).toBeLessThan(5000); // versus the 3500 s asked for
    expect(server.requests).toHaveLength(1);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.retryAfterMs).toBe(3_500_000);
    expect(error.message).toMatch(/retry after 3500 s, longer than this call's retry budget of 30 s/);
  });

  it("retries 5xx only for operations the spec marks safe", async () => {
    const server = await serve((_hit, res) => json(res, 500, fail("InternalError", "boom"), { "retry-after": "0" }));
    const c = client(server.url, { maxRetries: 2 });
    const unsafe = await c.POST("/things/create", { body: {} });
    expect(unsafe.error).toMatchObject({ status: 500, attempts: 1 });
    expect(server.requests).toHaveLength(1);
    const safe = await c.POST("/things/get", { body: {} });
    expect(safe.error).toMatchObject({ status: 500, attempts: 3 });
    expect(safe.error.message).toMatch(/after 3 attempts/);
    expect(server.requests).toHaveLength(4);
  });

  it("per-call maxRetries overrides the client's", async () => {
    const server = await serve((_hit, res) => json(res, 503, fail("ServiceUnavailable", "later"), { "retry-after": "0" }));
    const { error } = await client(server.url, { maxRetries: 5 }).POST("/things/get", { body: {}, maxRetries: 1 });
    expect(error.attempts).toBe(2);
  });

  it("retries refused connections even for unsafe operations, then throws ConnectionError", async () => {
    const server = await serve(() => undefined);
    const url = server.url;
    await server.close();
    const attempts: number[] = [];
    const c = client(url, { maxRetries: 1, onRetry: (info) => attempts.push(info.attempt) });
    const error = await c.POST("/things/create", { body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).attempts).toBe(2);
    expect(attempts).toEqual([1]);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });
});

describe("timeouts and aborts", () => {
  const slow = (ms: number) => (_hit: unknown, res: import("node:http").ServerResponse) => {
    setTimeout(() => json(res, 200, ok({ slow: true })), ms);
  };

  it("times out an attempt and retries it when the operation is safe", async () => {
    const server = await serve(slow(2000));
    const started = Date.now();
    const error = await client(server.url, { timeoutMs: 100, maxRetries: 1 })
      .POST("/things/get", { body: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 100, attempts: 2 });
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(1900);
  });

  it("does not retry a timed-out unsafe operation", async () => {
    const server = await serve(slow(2000));
    const error = await client(server.url, { timeoutMs: 100 }).POST("/things/create", { body: {} }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "TimeoutError", attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it("starts the timer per request, not when the client is built", async () => {
    const server = await serve(slow(100));
    const c = client(server.url, { timeoutMs: 1000 });
    await new Promise((r) => setTimeout(r, 1200));
    const { data } = await c.POST("/things/get", { body: {} });
    expect(data).toEqual({ slow: true });
  });

  it("a per-call timeout overrides the client's", async () => {
    const server = await serve(slow(300));
    const error = await client(server.url, { timeoutMs: 10_000 }).POST("/things/create", { body: {}, timeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it("a caller's own fetch gets a real AbortSignal, which aborts when the attempt times out", async () => {
    const server = await serve(slow(2000));
    const seen: unknown[] = [];
    const own = (url: string, init: RequestInit) => {
      seen.push(init.signal);
      return fetch(url, init);
    };
    const error = await client(server.url, { fetch: own, timeoutMs: 100, maxRetries: 0 }).POST("/things/get", { body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(AbortSignal);
    expect((seen[0] as AbortSignal).aborted).toBe(true);
  });

  it("with the platform's fetch, a caller's abort ends a request in flight at once", async () => {
    const server = await serve(slow(5000));
    const controller = new AbortController();
    const pending = client(server.url, { timeoutMs: 60_000 }).POST("/things/get", { body: {}, signal: controller.signal });
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const abortedAt = Date.now();
    controller.abort(new Error("caller gave up"));
    await expect(pending).rejects.toThrow("caller gave up");
    expect(Date.now() - abortedAt).toBeLessThan(1000);
  });

  it("stops waiting for a retry at once when the caller aborts", async () => {
    const server = await serve((_hit, res) => json(res, 429, fail("RequestTooFrequently", "x"), { "retry-after": "20" }));
    const controller = new AbortController();
    const pending = client(server.url).POST("/things/get", { body: {}, signal: controller.signal });
    await new Promise((r) => setTimeout(r, 200));
    const abortedAt = Date.now();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(Date.now() - abortedAt).toBeLessThan(2000); // the server asked for 20 s
  });

  it("a batch of calls sharing one signal puts one listener on it (no MaxListenersExceededWarning), and its abort ends them all", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const server = await serve(slow(5000));
      const c = client(server.url, { timeoutMs: 60_000 });
      const controller = new AbortController();
      const batch = Array.from({ length: 30 }, () => c.POST("/things/get", { body: {}, signal: controller.signal }).catch((e: Error) => e.message));
      while (server.requests.length < 30) await new Promise((r) => setTimeout(r, 5));
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
      controller.abort(new Error("batch cancelled"));
      expect(await Promise.all(batch)).toEqual(Array.from({ length: 30 }, () => "batch cancelled"));
      await new Promise((r) => setImmediate(r)); // Node emits warnings on a later tick
      expect(warnings.map((w) => w.name)).not.toContain("MaxListenersExceededWarning");
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("calls that end leave no listener on the caller's signal", async () => {
    const server = await serve((_hit, res) => json(res, 200, ok(1)));
    const c = client(server.url);
    const controller = new AbortController();
    const results = await Promise.all(Array.from({ length: 5 }, () => c.POST("/things/get", { body: {}, signal: controller.signal })));
    expect(results.map((r) => r.data)).toEqual([1, 1, 1, 1, 1]);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("the same while a batch sharing one signal waits to retry", async () => {
    const server = await serve((_hit, res) => json(res, 429, fail("RequestTooFrequently", "x"), { "retry-after": "20" }));
    const c = client(server.url);
    const controller = new AbortController();
    const batch = Array.from({ length: 30 }, () => c.POST("/things/get", { body: {}, signal: controller.signal }).catch((e: Error) => e.name));
    while (server.requests.length < 30) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    controller.abort();
    expect(await Promise.all(batch)).toEqual(Array.from({ length: 30 }, () => "AbortError"));
  });

  it("stops waiting for rate-limit capacity at once when the caller aborts", async () => {
    const server = await serve((_hit, res) => json(res, 200, ok(1)));
    const c = client(server.url, { rateLimits: { "per-second": { requests: 1, periodSeconds: 60 } } });
    await c.POST("/things/get", { body: {} });
    const controller = new AbortController();
    const pending = c.POST("/things/get", { body: {}, signal: controller.signal });
    setTimeout(() => controller.abort(new Error("deadline")), 50);
    await expect(pending).rejects.toThrow("deadline");
    expect(server.requests).toHaveLength(1);
  });
});

describe("client-side budget", () => {
  it("refuses to queue behind an hourly limit that is used up, instead of hanging", async () => {
    const server = await serve((_hit, res) => json(res, 200, ok(1)));
    const c = client(server.url, { rateLimits: { "per-second": { requests: 1, periodSeconds: 3600 } }, maxRetryWaitMs: 30_000 });
    await c.POST("/things/get", { body: {} });
    const started = Date.now();
    const error = await c.POST("/things/get", { body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as Error).message).toMatch(/getThing \(POST \/things\/get\) was not sent: the rate limit of 1 requests per 3600 s is used up/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(server.requests).toHaveLength(1);
  });
});

describe("timeouts and the rate-limit line", () => {
  it("starts an attempt's timeout when its slot is granted, not while it queues for one", async () => {
    const server = await serve((_hit, res) => json(res, 200, ok(1)));
    // Two calls per half second: the last of six waits two windows in line, far longer than its timeout.
    const c = client(server.url, { rateLimits: { "per-second": { requests: 2, periodSeconds: 0.5 } }, timeoutMs: 300, maxRetries: 0 });
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => c.POST("/things/get", { body: {} }).then(({ data }) => data, (e: Error) => e.name)));
    expect(outcomes).toEqual([1, 1, 1, 1, 1, 1]);
    expect(server.requests).toHaveLength(6);
  });

  it("gives a slot back at once when the connection was refused (the server never counted it)", async () => {
    const server = await serve(() => undefined);
    await server.close(); // nothing listens on its port any more
    const c = client(server.url, { rateLimits: { "per-second": { requests: 1, periodSeconds: 60 } }, maxRetries: 0 });
    const call = () => c.POST("/things/get", { body: {} }).catch((e: Error) => e.name);
    expect(await call()).toBe("ConnectionError");
    // Had the refused request kept its slot, this call would wait a minute for the window.
    expect(await Promise.race([call(), stillWaitingAfter(3_000)])).toBe("ConnectionError");
  });

  it("still times out a server that stalls after the call waited in line", async () => {
    const server = await serve((_hit, res) => (server.requests.length === 1 ? json(res, 200, ok(1)) : undefined));
    const c = client(server.url, { rateLimits: { "per-second": { requests: 1, periodSeconds: 0.5 } }, timeoutMs: 200, maxRetries: 0 });
    await c.POST("/things/get", { body: {} });
    const started = Date.now();
    const error = await c.POST("/things/get", { body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    // Half a second in line, then 200 ms for the server.
    expect(Date.now() - started).toBeGreaterThanOrEqual(650);
    expect(server.requests).toHaveLength(2);
  });
});

describe("operations with their own limits", () => {
  // An API-wide window ("account", 2 per second) beside one operation's own ("export", 1 per 30 s),
  // named so that sorting by name alone would take the API-wide slot first.
  const limitedApi: ApiMetadata = { ...api, rateLimits: [{ bucket: "account", requests: 2, periodSeconds: 1 }] };
  const limitedOperations: Record<string, CompactOperation> = {
    "POST /things/get": { operationId: "getThing", retrySafe: true },
    "POST /exports/run": { operationId: "runExport", retrySafe: true, rateLimits: [{ bucket: "export", requests: 1, periodSeconds: 30 }] },
  };

  it("calls queued for their operation's own window hold none of the API-wide window meanwhile", async () => {
    const server = await serve((_hit, res) => json(res, 200, ok(1)));
    const c = client(server.url, {}, { api: limitedApi, operations: limitedOperations });
    const controller = new AbortController();
    await c.POST("/exports/run", { body: {} });
    // Three more exports queue for the export window (30 s away). Had they taken an account slot
    // before queueing, the two account slots would be theirs until then, and every other call stuck.
    const queued = Array.from({ length: 3 }, () => c.POST("/exports/run", { body: {}, signal: controller.signal }).catch((e: Error) => e.name));
    await new Promise((r) => setTimeout(r, 50));
    const other = c.POST("/things/get", { body: {} }).then(({ data }) => data);
    expect(await Promise.race([other, stillWaitingAfter(5_000)])).toBe(1);
    expect(server.requests.map((r) => r.url.split("?")[0])).toEqual(["/exports/run", "/things/get"]);
    controller.abort();
    expect(await Promise.all(queued)).toEqual(["AbortError", "AbortError", "AbortError"]);
  });

  it("takes the operation's own windows first, then the API's, each longest period first", async () => {
    const server = await serve((_hit, res) => json(res, 200, ok(1)));
    const registry = new LimiterRegistry();
    const taken: string[] = [];
    const recording: LimiterStore = { get: (key, requests, periodMs) => (taken.push(key.split("|")[2]!), registry.get(key, requests, periodMs)) };
    const perSecond = (bucket: string) => ({ bucket, requests: 50, periodSeconds: 1 });
    const perMinute = (bucket: string) => ({ bucket, requests: 500, periodSeconds: 60 });
    const c = client(
      server.url,
      // An override changes a window's length, not the order (which must be the same for every client).
      { limiters: recording, rateLimits: { "export-per-minute": { requests: 5, periodSeconds: 0.5 } } },
      {
        api: { ...api, rateLimits: [perSecond("account-per-second"), perMinute("account-per-minute")] },
        operations: { "POST /exports/run": { operationId: "runExport", rateLimits: [perSecond("export-per-second"), perMinute("export-per-minute")] } },
      },
    );
    await c.POST("/exports/run", { body: {} });
    expect(taken).toEqual(["export-per-minute", "export-per-second", "account-per-minute", "account-per-second"]);
  });
});

describe("secrets", () => {
  it("sends the key as the query parameter the spec names", async () => {
    const server = await serve((_hit, res) => json(res, 200, ok(1)));
    await client(server.url).POST("/things/get", { body: {} });
    expect(new URL(server.requests[0]!.url, server.url).searchParams.get("app_key")).toBe(SECRET);
  });

  it("never shows the key in errors, responses or inspect output", async () => {
    const server = await serve((_hit, res) => json(res, 400, fail("InvalidParameter", `bad key ${SECRET}`)));
    const c = client(server.url);
    const { error, response } = await c.POST("/things/create", { body: {} });
    const timeout = await client((await serve(() => undefined)).url, { timeoutMs: 20 }).POST("/things/create", { body: {} }).catch((e: unknown) => e);
    const refused = await client("http://127.0.0.1:9", { maxRetries: 0 }).POST("/things/create", { body: {} }).catch((e: unknown) => e);
    for (const thing of [error, response, response.url, c, timeout, refused, JSON.stringify(error), String(error?.stack)]) {
      expect(inspect(thing, { depth: 10, showHidden: true })).not.toContain(SECRET);
    }
    // The URL the caller sees is the call's own, before the credential was added.
    expect(response.url).toBe(`${server.url}/things/create`);
  });
});

describe("options", () => {
  it("rejects bad client options with the option's name and the fix", () => {
    const make = (options: Record<string, unknown>) => () => client("http://127.0.0.1:1", options as ClientOptions);
    expect(make({ baseUrl: "localhost:4010" })).toThrow(/option `baseUrl` must be an absolute http\(s\) URL such as "https:\/\/api.example.test"/);
    expect(make({ baseUrl: "http://h/?app_key=x" })).toThrow(/must not contain a query string/);
    expect(make({ timeoutMs: 0 })).toThrow(/option `timeoutMs` must be at least 1/);
    expect(make({ maxRetries: 1.5 })).toThrow(/option `maxRetries` must be a whole number/);
    expect(make({ rateLimits: { "per-minute": { requests: 1, periodSeconds: 1 } } })).toThrow(/`rateLimits.per-minute` names no rate-limit bucket .* \(known: per-second\)/);
    expect(make({ rateLimits: { "per-second": { requests: 0, periodSeconds: 1 } } })).toThrow(/`rateLimits.per-second.requests` must be at least 1/);
    expect(make({ headers: { "x-a": 1 } })).toThrow(/`headers.x-a` must be a string/);
    expect(make({})).not.toThrow();
  });

  it("rejects bad call options and unknown operations at request time", async () => {
    const c = client("http://127.0.0.1:1");
    await expect(c.POST("/things/get", { body: {}, timeoutMs: -1 })).rejects.toThrow(/getThing \(POST \/things\/get\): option `timeoutMs` must be at least 1, got -1/);
    await expect(c.POST("/things/list", { body: {} })).rejects.toThrow(ConfigError);
    await expect(c.POST("/things/list", { body: {} })).rejects.toThrow(/POST \/things\/list is not an operation of the Test Provider API spec. Closest POST paths: \/things\/create, \/things\/get\./);
  });
});

describe("logger", () => {
  it("reports attempts, waits and retries at their levels, redacted, and nothing without a logger", async () => {
    const server = await serve((_hit, res, i) =>
      i === 0 ? json(res, 429, fail("RequestTooFrequently", "slow down"), { "retry-after": "0" }) : json(res, 200, ok({ id: 1 })),
    );
    const lines: Array<[string, string]> = [];
    const logger = {
      debug: (m: string) => lines.push(["debug", m]),
      info: (m: string) => lines.push(["info", m]),
      warn: (m: string) => lines.push(["warn", m]),
      error: (m: string) => lines.push(["error", m]),
    };
    // The spec's limits are on, with slots free: no wait is logged.
    await client(server.url, { logger, logLevel: "debug" }).POST("/things/get", { body: {} });
    expect(lines.map(([level]) => level)).toEqual(["debug", "debug", "info", "debug", "debug"]);
    expect(lines[0]![1]).toMatch(/^o11ykit: getThing: POST http:\/\/127\.0\.0\.1:\d+\/things\/get$/);
    expect(lines[2]![1]).toBe("o11ykit: getThing: retrying in 0 ms after HTTP 429 (attempt 1 of 3)");
    for (const [, line] of lines) expect(line).not.toContain(SECRET);

    const quiet: string[] = [];
    await client(server.url, { logger: { debug: (m: string) => quiet.push(m), info: (m: string) => quiet.push(m) } }).POST("/things/get", { body: {} });
    expect(quiet).toEqual([]); // default level "info": a plain success says nothing
  });

  it("reports how long a call waited for rate-limit capacity", async () => {
    const server = await serve((_hit, res) => json(res, 200, ok({ id: 1 })));
    const lines: string[] = [];
    const c = client(server.url, { logger: { debug: (m: string) => lines.push(m) }, logLevel: "debug", rateLimits: { "per-second": { requests: 1, periodSeconds: 0.3 } } });
    await c.POST("/things/get", { body: {} });
    await c.POST("/things/get", { body: {} }); // the one slot frees 300 ms after the first response
    const waits = lines.flatMap((line) => /^o11ykit: getThing: waited (\d+) ms for rate-limit capacity$/.exec(line)?.[1] ?? []).map(Number);
    expect(Math.max(...waits)).toBeGreaterThanOrEqual(250);
  });

  it("does not report a slow grant of a free slot as a wait (a shared store's round trip, a busy machine)", async () => {
    const server = await serve((_hit, res) => json(res, 200, ok({ id: 1 })));
    const lines: string[] = [];
    // Every grant takes 40 ms, as a store across processes takes a round trip, without queuing anyone.
    const inProcess = new LimiterRegistry();
    const slowStore: LimiterStore = {
      get: (key, requests, periodMs) => {
        const limiter = inProcess.get(key, requests, periodMs);
        return {
          requests,
          periodMs,
          pauseFor: (ms) => limiter.pauseFor(ms),
          acquire: async (signal, maxWaitMs) => {
            await new Promise((resolve) => setTimeout(resolve, 40));
            return limiter.acquire(signal, maxWaitMs);
          },
        };
      },
    };
    await client(server.url, { logger: { debug: (m: string) => lines.push(m) }, logLevel: "debug", limiters: slowStore }).POST("/things/get", { body: {} });
    expect(lines.filter((line) => line.includes("rate-limit capacity"))).toEqual([]);
    expect(lines).toHaveLength(2); // the attempt and its answer
  });

  it("checks the logging options", () => {
    // @ts-expect-error — not a level
    expect(() => client("http://127.0.0.1:9", { logLevel: "verbose" })).toThrow(/option `logLevel` must be "debug", "info", "warn" or "error", got "verbose"/);
  });
});
