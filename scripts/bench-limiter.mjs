#!/usr/bin/env node
/**
 * Measures the rate limiter against a local server that enforces 50 requests/s exactly (strict
 * sliding window), side by side in one run with three baselines, and prints throughput and ratios:
 *   o11ykit  the Flashduty client with the spec's limits (50/s and 1,000/min per account)
 *   oracle   the client behind a gate that is told when the server counts each request: the ceiling
 *            for any client-side limiter in this harness (see oracleGate)
 *   spaced   a naive client that sends one request every 20 ms (1000 ms / 50)
 *   none     the client with rate limiting off
 * Each runs for DURATION seconds (default 10) with 100 callers keeping requests in flight; o11ykit and
 * the oracle run ROUNDS times (default 3), alternately, and their figures are the medians. Each of
 * their runs also prints its loss window by window and the CPU a request costs, which show where the
 * rate is lost (the first windows, while a window's calls queue on the one event loop).
 * It starts with the cost of the line itself: the CPU each waiting caller costs when the line is 10,000,
 * 40,000 or 160,000 callers long (aborted together, or served), which stays flat when every operation
 * on the line is O(1) amortised.
 */
import { createFlashdutyClient } from "@o11ykit/flashduty";
import { LimiterRegistry, SlidingWindowLimiter } from "@o11ykit/core";
import { startRateLimitedServer } from "@o11ykit/mock";
import { mean, median } from "./harness/stats.mjs";

const LIMIT = 50;
const PERIOD_MS = 1000;
const seconds = Number(process.env.DURATION ?? 10);
const concurrency = 100;
const EARLY_WINDOWS = 5;

async function measure(name, send, onAccepted) {
  const server = await startRateLimitedServer({ limit: LIMIT, periodMs: PERIOD_MS, onAccepted });
  const deadline = performance.now() + seconds * 1000;
  const cpuBefore = process.cpuUsage();
  await send(server.url, deadline);
  const cpu = process.cpuUsage(cpuBefore);
  const times = server.acceptedAt;
  const first = times[0] ?? 0;
  // Throughput over the accepted requests that arrived inside the measured window.
  const inWindow = times.filter((t) => t - first < seconds * 1000).length;
  // Sustained rate: the limit divided by the mean time from one accepted request to the LIMIT-th after
  // it (the initial burst, a window's worth at once, does not count in it).
  const spans = [];
  for (let i = 0; i + LIMIT < times.length; i++) spans.push(times[i + LIMIT] - times[i]);
  const rateOf = (some) => (some.length ? (LIMIT * 1000) / mean(some) : Number.NaN);
  const sustained = rateOf(spans);
  // The same after the first EARLY_WINDOWS windows: a run starts with a window's worth of calls at
  // once, whose answers come back bunched (each waits for the client to work through the ones before
  // it), and a slot is held from its answer's arrival, so the first windows each lose that lag.
  const later = rateOf(spans.slice(EARLY_WINDOWS * LIMIT));
  // Where the time goes: each window's mean span beyond the period (what the sustained rate loses, per
  // window), and the CPU this process spent per request it sent. The more a request costs, the longer a
  // window's calls queue behind each other on the client's event loop. (The client's own queueing: with
  // the server on a worker thread of its own, o11ykit's sustained rate did not improve, though the
  // oracle's did; nor did it when the client put off reading each answer until the other responses due
  // at that moment had released their slots.)
  const lossPerWindow = [];
  for (let w = 0; (w + 1) * LIMIT <= spans.length; w++) lossPerWindow.push(mean(spans.slice(w * LIMIT, (w + 1) * LIMIT)) - PERIOD_MS);
  const cpuMsPerRequest = (cpu.user + cpu.system) / 1000 / (server.accepted + server.rejected);
  const result = { name, accepted: inWindow, rejected: server.rejected, perSecond: inWindow / seconds, sustained, later, lossPerWindow, cpuMsPerRequest };
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

/**
 * A gate with knowledge no real client has: the server (in this process) tells it when it counts each
 * request, so a slot's hold starts at that arrival rather than at the response, and it never holds a
 * slot longer than the server does. It still loses, each window, the trip from grant to arrival and a
 * timer's lateness, as any client would: its sustained rate is the most a client-side limiter can
 * reach in this harness, whose client and server share one event loop.
 */
function oracleGate() {
  const arrivals = [];
  let head = 0;
  let inFlight = 0; // granted, not yet counted by the server
  const queue = [];
  let timer;
  const used = (now) => {
    while (head < arrivals.length && arrivals[head] <= now - PERIOD_MS) head++;
    return arrivals.length - head + inFlight;
  };
  const pump = () => {
    while (queue.length > 0 && used(performance.now()) < LIMIT) {
      inFlight++;
      queue.shift()();
    }
    // Full: wake when the oldest counted request leaves the window (+1 ms, as the limiter does, since
    // a Node timer may fire up to a millisecond early); with every slot in flight, an arrival pumps.
    if (queue.length === 0 || timer !== undefined || head === arrivals.length) return;
    timer = setTimeout(() => {
      timer = undefined;
      pump();
    }, Math.max(0, arrivals[head] + PERIOD_MS - performance.now()) + 1);
  };
  return {
    counted(at) {
      inFlight--;
      arrivals.push(at);
      pump();
    },
    acquire: () => new Promise((resolve) => (queue.push(resolve), pump())),
  };
}

async function viaOracle(gate, url, deadline) {
  const fd = createFlashdutyClient({ appKey: "bench-key", baseUrl: url, maxRetries: 0, rateLimits: "off" });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await gate.acquire();
        await fd.POST("/monit/datasource/list", { body: {} });
      }
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

/** CPU µs per caller of a line of `length` callers: aborted together (one shared signal), then served. */
async function lineCost(length) {
  const cpuMicros = async (work) => {
    const before = process.cpuUsage();
    await work();
    const { user, system } = process.cpuUsage(before);
    return (user + system) / length;
  };
  const full = new SlidingWindowLimiter(1, 60_000);
  const hold = await full.acquire();
  const controller = new AbortController();
  const line = Array.from({ length }, () => full.acquire(controller.signal, 120_000).catch(() => undefined));
  const abort = await cpuMicros(async () => {
    controller.abort();
    await Promise.all(line);
  });
  hold();
  // Served: a window of 1,000 per millisecond, so each timer wakes 1,000 callers of the line.
  const fast = new SlidingWindowLimiter(1000, 1);
  const served = await cpuMicros(() => Promise.all(Array.from({ length }, () => fast.acquire(undefined, 120_000).then((release) => release()))));
  return { abort, served };
}

console.log("the line of waiting callers: CPU µs per caller, by the line's length (ratio to the shortest line)");
await lineCost(10_000); // unmeasured, so that the first line measured does not pay for compiling the code
const lines = [];
// From 10,000 up: a line of 1,000 cost a fifth per caller of one of 10,000, with an array for a line as
// with this one; its objects die young, which is cheaper for the garbage collector, not for the line.
for (const length of [10_000, 40_000, 160_000]) {
  // Medians of 3.
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await lineCost(length));
  lines.push({ length, abort: median(runs.map((r) => r.abort)), served: median(runs.map((r) => r.served)) });
}
for (const { length, abort, served } of lines) {
  const ratio = (value, shortest) => `${(value / shortest).toFixed(2)}×`;
  console.log(`${length.toLocaleString("en").padStart(7)} callers   aborted together ${abort.toFixed(2).padStart(6)} µs (${ratio(abort, lines[0].abort)})   served ${served.toFixed(2).padStart(6)} µs (${ratio(served, lines[0].served)})`);
}

console.log(`\nrate limiter benchmark: server enforces ${LIMIT}/s (sliding window), ${seconds} s per run, ${concurrency} concurrent callers\n`);
// A sustained rate is a steady state: first one unmeasured run, so that the measured ones do not
// start with code the engine has not compiled yet (in a cold process the first window's 50 calls take
// ~100 ms each to come back, and each window after inherits part of that lag).
const warmUp = await measure("warm-up", (url) => viaClient(url, performance.now() + 2_000));
if (warmUp.rejected > 0) process.exitCode = 1;
// o11ykit and the oracle run ROUNDS times each, alternating (which goes first swaps each round), and
// the figures are medians: one 10 s run's sustained rate moves by about half a percent from one run to
// the next on this machine, as much as the gap being measured.
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const oursRuns = [];
const oracleRuns = [];
const runOurs = () => measure("o11ykit", (url, deadline) => viaClient(url, deadline));
const runOracle = () => {
  const gate = oracleGate();
  return measure("oracle", (url, deadline) => viaOracle(gate, url, deadline), gate.counted);
};
for (let round = 0; round < ROUNDS; round++) {
  if (round % 2 === 0) oursRuns.push(await runOurs());
  oracleRuns.push(await runOracle());
  if (round % 2 === 1) oursRuns.push(await runOurs());
}
const naive = await measure("spaced", spaced);
const unlimited = await measure("none", (url, deadline) => viaClient(url, deadline, "off"));

console.log("client    accepted  429s   req/s   of limit  sustained");
for (const r of [...oursRuns, ...oracleRuns, naive, unlimited]) {
  console.log(
    `${r.name.padEnd(9)} ${String(r.accepted).padStart(8)} ${String(r.rejected).padStart(5)} ${r.perSecond.toFixed(1).padStart(7)} ${((100 * r.perSecond) / LIMIT).toFixed(1).padStart(8)}%  ${r.sustained.toFixed(2).padStart(8)}`,
  );
}
// Each window's loss, in order: the first windows lose the most, for the reason given at `later` in
// measure(); the calls sent when a bunch's slots free come bunched again, until the bunch spreads out.
// The oracle queues the same way.
console.log(`\nloss per window (mean time from a request to the ${LIMIT}th after it, beyond ${PERIOD_MS} ms), window by window; CPU per request (client and server):`);
for (const r of [...oursRuns, ...oracleRuns]) {
  console.log(`${r.name.padEnd(9)} ${r.lossPerWindow.map((ms) => ms.toFixed(0).padStart(4)).join("")} ms   ${r.cpuMsPerRequest.toFixed(2)} ms`);
}
const percent = (rate, digits = 1) => `${((100 * rate) / LIMIT).toFixed(digits)}%`;
const ours = { perSecond: median(oursRuns.map((r) => r.perSecond)), sustained: median(oursRuns.map((r) => r.sustained)), later: median(oursRuns.map((r) => r.later)), rejected: oursRuns.reduce((n, r) => n + r.rejected, 0) };
const oracle = { sustained: median(oracleRuns.map((r) => r.sustained)), later: median(oracleRuns.map((r) => r.later)) };
console.log(`\nmedians of ${ROUNDS} runs each:`);
console.log(`o11ykit / spaced throughput ratio: ${(ours.perSecond / naive.perSecond).toFixed(3)}`);
console.log(`o11ykit sustained ${ours.sustained.toFixed(2)} req/s, ${percent(ours.sustained)} of ${LIMIT}/s (${LIMIT} ÷ mean time from an accepted request to the ${LIMIT}th after it), with ${ours.rejected} 429s in all`);
console.log(`  after the first ${EARLY_WINDOWS} windows: ${ours.later.toFixed(2)} req/s, ${percent(ours.later)}`);
console.log(`oracle sustained ${oracle.sustained.toFixed(2)} req/s, ${percent(oracle.sustained)} (after ${EARLY_WINDOWS} windows ${percent(oracle.later)}): o11ykit reaches ${((100 * ours.sustained) / oracle.sustained).toFixed(1)}% of this harness's ceiling`);
if (ours.rejected > 0) process.exitCode = 1;
// Issue 17's target: at least 99% of the limit sustained (over the whole run), with no 429.
const met = ours.rejected === 0 && ours.sustained >= 0.99 * LIMIT;
console.log(met ? "\ntarget met: ≥ 99% of the limit sustained with 0 429s" : `\ntarget missed: ${percent(ours.sustained)} sustained (≥ 99% wanted) with ${ours.rejected} 429s`);
// The oracle is the ceiling of this harness on this machine: when even it stays under the target, the
// verdict above is about the machine as much as the limiter, and the ratio to the oracle is the figure
// that carries over from one machine to another.
if (!met && oracle.sustained < 0.99 * LIMIT) {
  console.log(`(the oracle, which the server tells when it counts each request, reached ${percent(oracle.sustained, 2)} in this run, under 99%: no client-side limiter could reach the target in this harness on this machine now)`);
}
