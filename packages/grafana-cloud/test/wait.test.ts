/**
 * The spec-declared waiter for a new stack (`x-o11ykit-wait` on the readiness operation), against
 * local servers: one that becomes ready after some polls (answering 404 and 503 before, as grafana.com
 * does while a stack is built), one that never does, and one that fails for real.
 */
import { startRecordingServer, sendJson, type RecordingServer } from "@o11ykit/mock";
import { ApiError, LimiterRegistry, WaitTimeoutError } from "@o11ykit/core";
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { createGrafanaCloudClient } from "../src/index.js";

let server: RecordingServer | undefined;
afterEach(() => server?.close());

const client = (url: string) => createGrafanaCloudClient({ token: "glc_wait_test_token_0123", baseUrl: url, limiters: new LimiterRegistry(), maxRetries: 0 });
const slug = { params: { path: { stack_slug: "acme-observability" } } };

describe("waitFor('stackReady')", () => {
  it("polls until the stack says it is ready, reporting progress, and resolves with the answer", async () => {
    server = await startRecordingServer((_req, res, i) => {
      if (i === 0) return sendJson(res, 404, { code: "NotFound", message: "stack not found" });
      if (i === 1) return sendJson(res, 503, { code: "Loading", message: "stack is being provisioned" });
      sendJson(res, 200, { ready: i >= 4 });
    });
    const progress: string[] = [];
    const ready = await client(server.url).waitFor("stackReady", slug, { intervalMs: 20, onProgress: (p) => progress.push(`${p.poll}:${p.status}:${p.state}`) });
    expectTypeOf(ready).toExtend<{ ready?: boolean } | undefined>();
    expect(ready).toMatchObject({ ready: true });
    expect(progress).toEqual(["1:404:pending", "2:503:pending", "3:200:pending", "4:200:pending", "5:200:ready"]);
    expect(server.requests.every((r) => r.url.startsWith("/v1/stacks/acme-observability/readiness"))).toBe(true);
  });

  it("a stack that never becomes ready fails at the deadline with what the last answer was", async () => {
    server = await startRecordingServer((_req, res) => sendJson(res, 503, { code: "Loading", message: "stack is being provisioned" }));
    const started = performance.now();
    // A deadline long enough for several polls even on a loaded machine, short enough to keep the test quick.
    const error = await client(server.url).waitFor("stackReady", slug, { intervalMs: 50, timeoutMs: 1_500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).message).toMatch(/`stackReady` was still not ready after \d+ s \(\d+ polls, deadline 2 s\); the last answer was HTTP 503 \(stack is being provisioned\)/);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(server.requests.length).toBeGreaterThanOrEqual(4);
  });

  it("an error that does not mean 'not yet' ends the wait at once", async () => {
    server = await startRecordingServer((_req, res) => sendJson(res, 401, { code: "InvalidCredentials", message: "invalid token" }));
    const error = await client(server.url).waitFor("stackReady", slug, { intervalMs: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401 });
    expect(server.requests).toHaveLength(1);
  });

  it("stops at once when aborted, and refuses an unknown waiter", async () => {
    server = await startRecordingServer((_req, res) => sendJson(res, 200, { ready: false }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("deploy cancelled")), 100);
    await expect(client(server.url).waitFor("stackReady", slug, { intervalMs: 1_000, signal: controller.signal })).rejects.toThrow("deploy cancelled");
    // @ts-expect-error — not a waiter of the spec
    expect(() => client(server!.url).waitFor("stackGone", slug)).toThrow(/no waiter `stackGone` in the Grafana .* spec \(known: .*stackReady/);
  });
});
