#!/usr/bin/env node
/**
 * Measures the rate limiter against a local server that enforces 50 requests/s exactly (strict
 * sliding window), side by side in one run with two baselines, and prints throughput and ratios:
 *   o11ykit  the Flashduty client with the spec's limits (50/s and 1,000/min per account)
 *   spaced   a naive client that sends one request every 20 ms (1000 ms / 50)
 *   none     the client with rate limiting off
 * Each runs for DURATION seconds (default 10) with 100 callers keeping requests in flight.
 */
import { createFlashdutyClient } from "@o11ykit/flashduty";
import { LimiterRegistry } from "@o11ykit/core";
import { startRateLimitedServer } from "@o11ykit/mock";

const LIMIT = 50;
const seconds = Number(process.env.DURATION ?? 10);
const concurrency = 100;

async function measure(name, send) {
  const server = await startRateLimitedServer({ limit: LIMIT, periodMs: 1000 });
  const deadline = performance.now() + seconds * 1000;
  await send(server.url, deadline);
  const times = server.acceptedAt;
  const first = times[0] ?? 0;
  // Throughput over the accepted requests that arrived inside the measured window.
  const inWindow = times.filter((t) => t - first < seconds * 1000).length;
  const result = { name, accepted: inWindow, rejected: server.rejected, perSecond: inWindow / seconds };
  await server.close();
  await new Promise((r) => setTimeout(r, 200));
  return result;
}

async function viaClient(url, deadline, rateLimits) {
  const fd = createFlashdutyClient({ appKey: "bench-key", baseUrl: url, maxRetries: 0, limiters: new LimiterRegistry(), ...(rateLimits ? { rateLimits } : {}) });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) await fd.POST("/monit/datasource/list", { body: {} });
    }),
  );
}

async function spaced(url, deadline) {
  const sends = [];
  while (performance.now() < deadline) {
    sends.push(fetch(`${url}/monit/datasource/list?app_key=k`, { method: "POST", body: "{}" }).then((r) => r.arrayBuffer()));
    await new Promise((r) => setTimeout(r, 1000 / LIMIT));
  }
  await Promise.all(sends);
}

console.log(`rate limiter benchmark: server enforces ${LIMIT}/s (sliding window), ${seconds} s per run, ${concurrency} concurrent callers\n`);
const results = [
  await measure("o11ykit", (url, deadline) => viaClient(url, deadline)),
  await measure("spaced", spaced),
  await measure("none", (url, deadline) => viaClient(url, deadline, "off")),
];
console.log("client    accepted  429s   req/s   of limit");
for (const r of results) {
  console.log(
    `${r.name.padEnd(9)} ${String(r.accepted).padStart(8)} ${String(r.rejected).padStart(5)} ${r.perSecond.toFixed(1).padStart(7)} ${((100 * r.perSecond) / LIMIT).toFixed(1).padStart(8)}%`,
  );
}
const [ours, naive] = results;
console.log(`\no11ykit / spaced throughput ratio: ${(ours.perSecond / naive.perSecond).toFixed(3)}`);
console.log(`o11ykit sustained ${((100 * ours.perSecond) / LIMIT).toFixed(1)}% of ${LIMIT}/s with ${ours.rejected} 429s`);
if (ours.rejected > 0) process.exitCode = 1;
