/**
 * Timeouts and aborts that always fire, however often the garbage collector runs while calls wait
 * (defect 1 of the transport issue: on Node 20 an abort wired through a collectable Request or
 * AbortSignal.any was lost, and calls hung for good).
 */
import { ApiError, LimiterRegistry, TimeoutError } from "@o11ykit/core";
import { createFlashdutyClient } from "@o11ykit/flashduty";
import { createGrafanaCloudClient } from "@o11ykit/grafana-cloud";
import { afterEach, describe, expect, it } from "vitest";
import { fdOk, gcPressure, hostile, json, never, within } from "./hostile.js";

let stopGc: (() => void) | undefined;
afterEach(() => stopGc?.());

const key = "fd-app-key-0123456789";
const body = { id: 10 };

describe("under forced GC every 50 ms", () => {
  it("20 concurrent calls to a server that never answers all time out (timeoutMs 300)", async () => {
    const server = await hostile(never);
    const fd = createFlashdutyClient({ appKey: key, baseUrl: server.url, timeoutMs: 300, maxRetries: 0, limiters: new LimiterRegistry() });
    stopGc = gcPressure(50);
    const started = performance.now();
    const calls = Array.from({ length: 20 }, () => fd.POST("/monit/datasource/info", { body }).then(() => "answered", (e: unknown) => e));
    const settled = await within(Promise.all(calls), 6_000);
    expect(settled).not.toBe("pending");
    for (const outcome of settled as unknown[]) expect(outcome).toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it("AbortSignal.timeout(300) aborts 20 concurrent calls", async () => {
    const server = await hostile(never);
    const gc = createGrafanaCloudClient({ token: "glc_fault_suite_token_0123", baseUrl: server.url, maxRetries: 0, limiters: new LimiterRegistry() });
    stopGc = gcPressure(50);
    const calls = Array.from({ length: 20 }, () =>
      gc.GET("/instances/{stack_slug}", { params: { path: { stack_slug: "acme" } }, signal: AbortSignal.timeout(300) }).then(() => "answered", (e: unknown) => e),
    );
    const settled = await within(Promise.all(calls), 6_000);
    expect(settled).not.toBe("pending");
    for (const outcome of settled as unknown[]) expect((outcome as Error).name).toBe("TimeoutError");
  });

  it("calls waiting for rate-limit capacity are never sent after their caller aborts (query-key auth)", async () => {
    const server = await hostile((_hit, res) => json(res, 200, fdOk({ id: 10 })));
    // 2 requests per 2 s: 250 calls queue behind the window.
    const fd = createFlashdutyClient({
      appKey: key,
      baseUrl: server.url,
      limiters: new LimiterRegistry(),
      rateLimits: { "account-per-second": { requests: 2, periodSeconds: 2 } },
    });
    stopGc = gcPressure(50);
    const controllers = Array.from({ length: 250 }, () => new AbortController());
    const calls = controllers.map((c) => fd.POST("/monit/datasource/info", { body, signal: c.signal }).then(() => "sent", (e: unknown) => e));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const abortedAt = performance.now();
    for (const c of controllers) c.abort(new Error("caller gave up"));
    const outcomes = await within(Promise.all(calls), 3_000);
    expect(outcomes).not.toBe("pending");
    expect(performance.now() - abortedAt).toBeLessThan(1_000);
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // a window later, with GC still running
    // Only the two calls granted the window's slots at the start reach the server (on a loaded machine
    // the second may arrive after the abort: it was sent before). The window frees again 2 s after
    // they end, inside the wait above, so a waiter sent despite its abort would be a third request.
    expect(server.hits.length).toBeLessThanOrEqual(2);
    expect((outcomes as unknown[]).filter((o) => o instanceof Error && o.message === "caller gave up").length).toBeGreaterThanOrEqual(248);
  });

  it("a stall in the middle of the body times out too", async () => {
    const server = await hostile((_hit, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"request_id":"01J","data":{"id":'); // and nothing more
    });
    const fd = createFlashdutyClient({ appKey: key, baseUrl: server.url, timeoutMs: 300, maxRetries: 1, limiters: new LimiterRegistry() });
    stopGc = gcPressure(50);
    const error = await fd.POST("/monit/datasource/info", { body }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).attempts).toBe(2); // info is a read: retried once, then given up
  });
});

describe("timers past Node's 2^31−1 ms clamp", () => {
  it("a timeoutMs of 2^31 + 1 s does not fire early", async () => {
    const server = await hostile(async (_hit, res) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      json(res, 200, fdOk({ id: 10, name: "Prometheus Prod" }));
    });
    const fd = createFlashdutyClient({ appKey: key, baseUrl: server.url, timeoutMs: 2 ** 31 + 1_000, limiters: new LimiterRegistry() });
    const { data, error } = await fd.POST("/monit/datasource/info", { body });
    expect(error).toBeUndefined();
    expect(data).toMatchObject({ id: 10 });
  });

  it("a huge maxRetryWaitMs waits out a 25-day Retry-After instead of retrying at once", async () => {
    const server = await hostile((_hit, res) =>
      json(res, 429, { request_id: "01J", error: { code: "RequestTooFrequently", message: "slow down" } }, { "retry-after": String(25 * 24 * 3600) }),
    );
    const fd = createFlashdutyClient({ appKey: key, baseUrl: server.url, maxRetryWaitMs: 30 * 24 * 3600 * 1000, limiters: new LimiterRegistry() });
    const controller = new AbortController();
    const call = fd.POST("/monit/datasource/info", { body, signal: controller.signal }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(server.hits.length).toBe(1); // still waiting, not retrying every millisecond
    controller.abort(new Error("stop"));
    expect(await call).toMatchObject({ message: "stop" });
  });

  it("NaN and Infinity are refused with a message that says what was given", () => {
    expect(() => createFlashdutyClient({ appKey: key, timeoutMs: Number.NaN })).toThrow(/option `timeoutMs` must be a finite number, got NaN/);
    expect(() => createFlashdutyClient({ appKey: key, maxRetryWaitMs: Infinity })).toThrow(/option `maxRetryWaitMs` must be a finite number, got Infinity/);
  });

  it("a 429 whose wait exceeds the budget still fails fast as an ApiError", async () => {
    const server = await hostile((_hit, res) =>
      json(res, 429, { request_id: "01J", error: { code: "RequestTooFrequently", message: "slow down" } }, { "retry-after": "3600" }),
    );
    const fd = createFlashdutyClient({ appKey: key, baseUrl: server.url, limiters: new LimiterRegistry() });
    const { error } = await fd.POST("/monit/datasource/info", { body });
    expect(error).toBeInstanceOf(ApiError);
    expect(error?.message).toMatch(/retry after 3600 s, longer than this call's retry budget of 60 s/);
  });
});
