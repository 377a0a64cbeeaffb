/**
 * Retries as the spec allows them, aborts in every waiting state, and the clients under load:
 * 2,000 concurrent calls all settle, and memory stays flat over 10,000 calls.
 */
import { ApiError, ConnectionError, LimiterRegistry } from "@o11ykit/core";
import { createFlashdutyClient } from "@o11ykit/flashduty";
import { describe, expect, it } from "vitest";
import { fdOk, hostile, json, never, within } from "./hostile.js";

const key = "fd-app-key-0123456789";
const fd = (baseUrl: string, extra: object = {}) => createFlashdutyClient({ appKey: key, baseUrl, limiters: new LimiterRegistry(), ...extra });
const tooFast = { request_id: "01J", error: { code: "RequestTooFrequently", message: "slow down" } };
const createBody = { type_ident: "loki", name: "Loki", address: "http://loki:3100", edge_cluster_name: "default", payload: { loki: {} } } as never;

describe("429 and its Retry-After forms", () => {
  for (const [form, header] of [
    ["delta-seconds", () => ({ "retry-after": "1" })],
    // An HTTP date has whole seconds: 2.5 s ahead is at least 1.5 s of waiting.
    ["HTTP date", () => ({ "retry-after": new Date(Date.now() + 2_500).toUTCString() })],
    ["retry-after-ms", () => ({ "retry-after-ms": "300" })],
  ] as const) {
    it(`waits for ${form}, then retries a create (429s are always safe)`, async () => {
      const server = await hostile((_hit, res, i) => (i === 0 ? json(res, 429, tooFast, header()) : json(res, 200, fdOk({ id: 3 }))));
      const started = performance.now();
      const { data } = await fd(server.url).POST("/monit/datasource/create", { body: createBody });
      expect(data).toMatchObject({ id: 3 });
      expect(server.hits).toHaveLength(2);
      expect(server.hits[1]!.body).toBe(server.hits[0]!.body);
      expect(performance.now() - started).toBeGreaterThan(250);
    });
  }
});

describe("a 429 pauses every call on the credential, not only the one that got it", () => {
  it("a second client with the same key waits out the first one's Retry-After", async () => {
    let firstAt = 0;
    const server = await hostile((_hit, res, i) => {
      if (i === 0) {
        firstAt = performance.now();
        return json(res, 429, tooFast, { "retry-after": "1" });
      }
      json(res, 200, fdOk({ id: 1 }));
    });
    const limiters = new LimiterRegistry();
    const a = createFlashdutyClient({ appKey: key, baseUrl: server.url, limiters });
    const b = createFlashdutyClient({ appKey: key, baseUrl: server.url, limiters });
    const first = a.POST("/monit/datasource/info", { body: { id: 1 } });
    while (server.hits.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const secondStarted = performance.now();
    await Promise.all([first, b.POST("/monit/datasource/info", { body: { id: 2 } })]);
    expect(server.hits).toHaveLength(3);
    // B was not sent into the pause: it reached the server only after the 1 s the server asked for.
    expect(secondStarted - firstAt).toBeLessThan(500);
    for (const hit of server.hits.slice(1)) expect(hit.at - firstAt).toBeGreaterThan(950);
    expect(server.hits.slice(1).map((h) => JSON.parse(h.body).id).sort()).toEqual([1, 2]);
  });
});

describe("5xx and resets: safe operations retry, unsafe ones do not", () => {
  it("a 503 on a read is retried; on a create it is returned", async () => {
    const flaky = await hostile((_hit, res, i) => (i === 0 ? json(res, 503, { request_id: "01J", error: { code: "ServiceUnavailable", message: "busy" } }) : json(res, 200, fdOk({ id: 1 }))));
    expect((await fd(flaky.url).POST("/monit/datasource/info", { body: { id: 1 } })).data).toMatchObject({ id: 1 });
    const down = await hostile((_hit, res) => json(res, 503, { request_id: "01J", error: { code: "ServiceUnavailable", message: "busy" } }));
    const { error } = await fd(down.url).POST("/monit/datasource/create", { body: createBody });
    expect(error).toBeInstanceOf(ApiError);
    expect(down.hits).toHaveLength(1);
  });

  it("a reset after the request arrived: retried for a read, a ConnectionError for a create", async () => {
    const resetOnce = await hostile((_hit, res, i) => (i === 0 ? void res.socket?.destroy() : json(res, 200, fdOk({ id: 1 }))));
    expect((await fd(resetOnce.url).POST("/monit/datasource/info", { body: { id: 1 } })).data).toMatchObject({ id: 1 });
    const reset = await hostile((_hit, res) => void res.socket?.destroy());
    const error = await fd(reset.url).POST("/monit/datasource/create", { body: createBody }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(reset.hits).toHaveLength(1);
  });
});

describe("an abort stops the call at once, wherever it waits", () => {
  const abortAfter = (ms: number) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("user abort")), ms);
    return controller.signal;
  };

  it("while waiting for rate-limit capacity", async () => {
    const server = await hostile((_hit, res) => json(res, 200, fdOk({ id: 1 })));
    const client = fd(server.url, { rateLimits: { "account-per-second": { requests: 1, periodSeconds: 30 } } });
    await client.POST("/monit/datasource/info", { body: { id: 1 } });
    const error = await within(client.POST("/monit/datasource/info", { body: { id: 1 }, signal: abortAfter(100) }).catch((e: unknown) => e), 1_000);
    expect(error).toMatchObject({ message: "user abort" });
    expect(server.hits).toHaveLength(1);
  });

  it("while waiting before a retry", async () => {
    const server = await hostile((_hit, res) => json(res, 429, tooFast, { "retry-after": "20" }));
    const error = await within(fd(server.url).POST("/monit/datasource/info", { body: { id: 1 }, signal: abortAfter(100) }).catch((e: unknown) => e), 1_000);
    expect(error).toMatchObject({ message: "user abort" });
  });

  it("while the request is in flight, and while the body is being read", async () => {
    const silent = await hostile(never);
    expect(await within(fd(silent.url).POST("/monit/datasource/info", { body: { id: 1 }, signal: abortAfter(100) }).catch((e: unknown) => e), 1_000)).toMatchObject({ message: "user abort" });
    const stalling = await hostile((_hit, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"request_id":');
    });
    expect(await within(fd(stalling.url).POST("/monit/datasource/info", { body: { id: 1 }, signal: abortAfter(100) }).catch((e: unknown) => e), 1_000)).toMatchObject({ message: "user abort" });
  });

  it("an already-aborted signal sends nothing", async () => {
    const server = await hostile((_hit, res) => json(res, 200, fdOk({ id: 1 })));
    const error = await fd(server.url).POST("/monit/datasource/info", { body: { id: 1 }, signal: AbortSignal.abort(new Error("too late")) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: "too late" });
    expect(server.hits).toHaveLength(0);
  });
});

describe("under load", () => {
  it("2,000 concurrent calls all settle, each with the right answer", async () => {
    const server = await hostile((hit, res) => json(res, 200, fdOk({ id: JSON.parse(hit.body).id })));
    const client = fd(server.url, { rateLimits: "off" });
    const results = await Promise.all(Array.from({ length: 2_000 }, (_, i) => client.POST("/monit/datasource/info", { body: { id: i + 1 } })));
    expect(results.map((r) => r.data?.id)).toEqual(Array.from({ length: 2_000 }, (_, i) => i + 1));
  }, 120_000); // 3.5 s alone, 14 s beside npm test's other suites, over 30 s on a machine busier still

  it("memory stays flat over 10,000 calls", async () => {
    const gc = (globalThis as { gc?: () => void }).gc!;
    const server = await hostile((_hit, res) => json(res, 200, fdOk({ id: 1, name: "Prometheus Prod", labels: { env: "prod" } })));
    const client = fd(server.url, { rateLimits: "off" });
    const batch = async (n: number) => {
      for (let i = 0; i < n; i += 50) await Promise.all(Array.from({ length: 50 }, () => client.POST("/monit/datasource/info", { body: { id: 1 } })));
    };
    await batch(1_000); // warm up
    gc();
    const before = process.memoryUsage().heapUsed;
    await batch(10_000);
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    expect(grown).toBeLessThan(8 * 1024 * 1024);
  }, 120_000);
});
