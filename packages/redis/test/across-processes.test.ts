/**
 * The shared limiter across real processes: each worker is a separate Node process with its own
 * Flashduty clients and its own ioredis connection, against a real redis-server and a local server
 * that counts arrivals per sliding window and answers 429 beyond the limit.
 *
 * The tests run side by side (`describe.concurrent`), in two groups: they spend their seconds waiting
 * on windows and pauses, not on CPU, and each has its own servers and keys (the Redis-killed ones their
 * own Redis). One after another they made this the longest-waiting file of `npm test` (40 s); side by
 * side it takes about its longest test per group (12 s). Each test closes its own servers when it ends
 * (`onTestFinished`), as an `afterEach` would close the servers of tests still running.
 */
import http from "node:http";
import { startRateLimitedServer, type RateLimitedServer } from "@o11ykit/mock";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { startWorker } from "./processes.js";
import { startRedis, type TestRedis } from "./redis-server.js";

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

/** Closes `handle` when the test that opened it ends. */
function closedAfter<T extends { close(): Promise<void> }>(context: TestContext, handle: T): T {
  context.onTestFinished(() => handle.close());
  return handle;
}

async function rateLimitedServer(context: TestContext, limit: number): Promise<RateLimitedServer> {
  return closedAfter(context, await startRateLimitedServer({ limit, periodMs: 1000 }));
}

const PER_SECOND = 10;
const RUN_MS = 3000;

describe.concurrent("two processes, one credential", () => {
  it("share one budget: the server never sees one request too many, and both get slots", async (context) => {
    const server = await rateLimitedServer(context, PER_SECOND);
    const settings = { redisUrl: redis.url, baseUrl: server.url, appKey: "shared-key", store: "redis", perSecond: PER_SECOND, concurrency: 5, durationMs: RUN_MS };
    const workers = [startWorker(settings, 20_000), startWorker(settings, 20_000)];
    const [a, b] = await Promise.all(workers.map((w) => w.done));
    expect(server.rejected).toBe(0);
    expect(a!.status["429"] ?? 0).toBe(0);
    expect(a!.ok).toBeGreaterThan(0);
    expect(b!.ok).toBeGreaterThan(0);
    // Close to the limit: 10/s over the ~3 s both ran (the bench measures this precisely).
    expect(a!.ok + b!.ok).toBeGreaterThanOrEqual(0.8 * PER_SECOND * (RUN_MS / 1000));
    expect(a!.unhandled + b!.unhandled).toBe(0);
  }, 30_000);

  it("(control) with in-process limiters only, the same two processes together run into 429s", async (context) => {
    const server = await rateLimitedServer(context, PER_SECOND);
    const settings = { redisUrl: redis.url, baseUrl: server.url, appKey: "shared-key", store: "local", perSecond: PER_SECOND, concurrency: 5, durationMs: 2000 };
    await Promise.all([startWorker(settings, 20_000).done, startWorker(settings, 20_000).done]);
    expect(server.rejected).toBeGreaterThan(0);
  }, 30_000);

  it("different keys do not share: each process gets its own full budget", async (context) => {
    const [serverA, serverB] = [await rateLimitedServer(context, PER_SECOND), await rateLimitedServer(context, PER_SECOND)];
    const base = { redisUrl: redis.url, store: "redis", perSecond: PER_SECOND, concurrency: 5, durationMs: RUN_MS };
    const [a, b] = await Promise.all([
      startWorker({ ...base, baseUrl: serverA.url, appKey: "key-a" }, 20_000).done,
      startWorker({ ...base, baseUrl: serverB.url, appKey: "key-b" }, 20_000).done,
    ]);
    expect(serverA.rejected + serverB.rejected).toBe(0);
    // Shared, they would get about half each.
    expect(a!.ok).toBeGreaterThanOrEqual(0.8 * PER_SECOND * (RUN_MS / 1000));
    expect(b!.ok).toBeGreaterThanOrEqual(0.8 * PER_SECOND * (RUN_MS / 1000));
  }, 30_000);
});

// Each with a Redis of its own, killed while its worker runs; in the same group as the tests above, so
// side by side with them.
describe.concurrent("Redis killed mid-run", () => {
  /** A Redis for this test only, stopped when it ends. */
  async function ownRedis(context: TestContext): Promise<TestRedis> {
    const own = await startRedis();
    context.onTestFinished(() => own.stop());
    return own;
  }

  it('"fallback": calls go on in-process, onFallback is told, Redis is used again once back; no hang, no unhandled rejection', async (context) => {
    const own = await ownRedis(context);
    const server = await rateLimitedServer(context, PER_SECOND);
    const worker = startWorker(
      { redisUrl: own.url, baseUrl: server.url, appKey: "fallback-key", store: "redis", policy: "fallback", perSecond: PER_SECOND, concurrency: 3, durationMs: 4000, retryRedisAfterMs: 200 },
      20_000,
    );
    await worker.ready;
    await new Promise((r) => setTimeout(r, 1000));
    await own.kill();
    await new Promise((r) => setTimeout(r, 1000));
    await own.start();
    const report = await worker.done;
    expect(report.errors).toEqual({});
    expect(report.fallbacks).toBeGreaterThanOrEqual(1);
    expect(report.recovered).toBeGreaterThanOrEqual(1);
    expect(report.unhandled).toBe(0);
    expect(report.exitCode).toBe(0);
    // Each switch (to in-process, back to a Redis that lost its data) starts from an empty window, so
    // up to one period's worth may go over once per switch: the price of "fallback", retried normally.
    expect(server.rejected).toBeLessThanOrEqual(2 * PER_SECOND);
    // Kept going through the outage at about the limit.
    expect(report.ok).toBeGreaterThanOrEqual(0.7 * PER_SECOND * 4);
  }, 30_000);

  it('"fail": calls fail at once with a RateLimitError that names Redis; no hang, no unhandled rejection', async (context) => {
    const own = await ownRedis(context);
    const server = await rateLimitedServer(context, PER_SECOND);
    const worker = startWorker(
      { redisUrl: own.url, baseUrl: server.url, appKey: "fail-key", store: "redis", policy: "fail", perSecond: PER_SECOND, concurrency: 3, durationMs: 2500 },
      20_000,
    );
    await worker.ready;
    await new Promise((r) => setTimeout(r, 1000));
    await own.kill();
    const report = await worker.done;
    expect(report.ok).toBeGreaterThan(0);
    expect(Object.keys(report.errors)).toEqual(["RateLimitError"]);
    expect(report.messages[0]).toMatch(/was not sent: the shared rate limit .* could not be checked in Redis: .*onRedisError is "fail"/);
    expect(report.fallbacks).toBe(0);
    expect(report.unhandled).toBe(0);
    expect(report.exitCode).toBe(0);
    // No call waited on the dead Redis longer than the command timeout (1 s) and a little.
    expect(report.maxCallMs).toBeLessThan(1500);
  }, 30_000);
});

// A group of its own, after the ones above (a plain describe, so not run beside them): its control
// bounds the time one process takes to hand the go-ahead to the next, which the load of the tests above
// would stretch. Its two tests still run side by side.
describe("a 429 seen by one process", () => {
  /**
   * Answers the first request 429 with Retry-After: 5, then 200; records when each request arrived. The
   * pause is long enough that the control below (no pause shared) is told apart from it even when the
   * machine is loaded and handing the go-ahead from one process to the next takes over two seconds
   * (2.2 s seen with three test lanes beside a full rebuild).
   */
  async function pausingServer(context: TestContext) {
    const arrivals: number[] = [];
    const server = http.createServer((req, res) => {
      arrivals.push(performance.now());
      req.resume();
      if (arrivals.length === 1) {
        res.writeHead(429, { "content-type": "application/json", "retry-after": "5" });
        res.end(JSON.stringify({ request_id: "r", error: { code: "RequestTooFrequently", message: "slow down" } }));
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ request_id: "r", data: [] }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    return closedAfter(context, { url: `http://127.0.0.1:${port}`, arrivals, close: () => new Promise<void>((r) => server.close(() => r())) });
  }

  /** Two processes, one call each on the same key: the second starts as soon as the first is done. */
  async function pausedPair(baseUrl: string, store: "redis" | "local") {
    const settings = { redisUrl: redis.url, baseUrl, appKey: `paused-${store}`, store, calls: 1, waitForGo: true };
    const [a, b] = [startWorker(settings, 20_000), startWorker(settings, 20_000)];
    await Promise.all([a.ready, b.ready]);
    a.go();
    const first = await a.done;
    b.go();
    return [first, await b.done] as const;
  }

  it.concurrent("pauses the other: its next request waits out the Retry-After", async (context) => {
    const server = await pausingServer(context);
    const [first, second] = await pausedPair(server.url, "redis");
    expect(first.status["429"]).toBe(1);
    expect(second.ok).toBe(1);
    // The second process asked the moment the first had its 429, yet its request arrived after the 5 s.
    expect(server.arrivals[1]! - server.arrivals[0]!).toBeGreaterThanOrEqual(4950);
  }, 30_000);

  it.concurrent("(control) with in-process limiters, the other process does not wait", async (context) => {
    const server = await pausingServer(context);
    const [, second] = await pausedPair(server.url, "local");
    expect(second.ok).toBe(1);
    expect(server.arrivals[1]! - server.arrivals[0]!).toBeLessThan(4000);
  }, 30_000);
});
