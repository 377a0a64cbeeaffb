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
  // Sustained rate: the limit divided by the mean time from one accepted request to the LIMIT-th after
  // it (the initial burst, a window's worth at once, does not count in it).
  const spans = [];
  for (let i = 0; i + LIMIT < times.length; i++) spans.push(times[i + LIMIT] - times[i]);
  const sustained = spans.length ? (LIMIT * 1000) / (spans.reduce((a, b) => a + b, 0) / spans.length) : Number.NaN;
  const result = { name, accepted: inWindow, rejected: server.rejected, perSecond: inWindow / seconds, sustained };
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
// A sustained rate is a steady state: first one unmeasured run, so that the measured ones do not
// start with code the engine has not compiled yet (in a cold process the first window's 50 calls take
// ~100 ms each to come back, and each window after inherits part of that lag).
const warmUp = await measure("warm-up", (url) => viaClient(url, performance.now() + 2_000));
if (warmUp.rejected > 0) process.exitCode = 1;
const results = [
  await measure("o11ykit", (url, deadline) => viaClient(url, deadline)),
  await measure("spaced", spaced),
  await measure("none", (url, deadline) => viaClient(url, deadline, "off")),
];
console.log("client    accepted  429s   req/s   of limit  sustained");
for (const r of results) {
  console.log(
    `${r.name.padEnd(9)} ${String(r.accepted).padStart(8)} ${String(r.rejected).padStart(5)} ${r.perSecond.toFixed(1).padStart(7)} ${((100 * r.perSecond) / LIMIT).toFixed(1).padStart(8)}%  ${r.sustained.toFixed(2).padStart(8)}`,
  );
}
const [ours, naive] = results;
console.log(`\no11ykit / spaced throughput ratio: ${(ours.perSecond / naive.perSecond).toFixed(3)}`);
console.log(`o11ykit sustained ${ours.sustained.toFixed(2)} req/s, ${((100 * ours.sustained) / LIMIT).toFixed(1)}% of ${LIMIT}/s (${LIMIT} ÷ mean time from an accepted request to the ${LIMIT}th after it), with ${ours.rejected} 429s`);
if (ours.rejected > 0) process.exitCode = 1;
