/**
 * The limiter against a server that enforces the same limit strictly. This checks behaviour (no 429
 * ever), not speed: throughput figures come from `pnpm bench:limiter`.
 */
// The mock package's test servers, by source path: the core must not depend on the mock (a build-graph
// edge from every spec to the core), and these servers have no dependencies of their own.
import { startRateLimitedServer } from "../../mock/src/rate-limited-server.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiClient } from "../src/client.js";
import { LimiterRegistry } from "../src/rate-limiter.js";
import { api, operations, SECRET } from "./fixtures.js";

let server: Awaited<ReturnType<typeof startRateLimitedServer>>;
beforeAll(async () => {
  server = await startRateLimitedServer({ limit: 50, periodMs: 1000 });
});
afterAll(() => server.close());

/** Sends `count` calls at once through a client; returns the statuses seen. */
async function burst(options: { rateLimits?: "off" }, count: number) {
  const c = createApiClient({ factory: "t", api, operations, credential: SECRET, options: { baseUrl: server.url, maxRetries: 0, limiters: new LimiterRegistry(), ...options } }) as unknown as {
    POST: (p: string, i: unknown) => Promise<{ response: Response }>;
  };
  const results = await Promise.all(Array.from({ length: count }, () => c.POST("/things/get", { body: {} })));
  return results.map((r) => r.response.status);
}

describe("rate limiting against a strict 50/s server", () => {
  it("a client without limits trips the server (the server does enforce)", async () => {
    server.reset();
    const statuses = await burst({ rateLimits: "off" }, 100);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1100));
  });

  it("the spec's limit keeps every request under it, across three windows", async () => {
    server.reset();
    const statuses = await burst({}, 130);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(server.rejected).toBe(0);
    expect(server.accepted).toBe(130);
  }, 20_000); // waits out two windows by design (2 s), so vitest's default 5 s leaves little room under load
});
