#!/usr/bin/env node
/**
 * How long the mocks take, measured in one run: each provider's start-up (Prism plus the scenario
 * proxy, until the first request is answered), and a typical user test — start the Flashduty mock,
 * make 20 calls through the client, close — repeated RUNS times (default 3), with the median.
 * Then Prism's own start on each provider's spec with the changes prism-preload.cjs makes to it
 * (faker's English locale only, a decycle that builds pointers only for cycles), without them and with
 * each alone, interleaved, with the ratio of each to none; and the CPU a request costs Prism on each
 * provider's spec, with the preload's router (which routes among the operations whose path could match)
 * and with Prism's own, interleaved, with the ratio.
 */
import fs from "node:fs";
import { createClickStackClient } from "@o11ykit/clickstack";
import { createFlashdutyClient } from "@o11ykit/flashduty";
import { createGrafanaCloudClient } from "@o11ykit/grafana-cloud";
import { MOCK_PROVIDERS, specPath, startMock, startPrism } from "@o11ykit/mock";
import { processCpuSeconds } from "./harness/proc-cpu.mjs";
import { median } from "./harness/stats.mjs";

const runs = Number(process.env.RUNS ?? 3);
const ms = (value) => `${Math.round(value)} ms`;

console.log(`mock benchmark: ${runs} runs each\n`);
console.log("provider           start-up (median)   close (median)");
for (const provider of MOCK_PROVIDERS) {
  const starts = [];
  const closes = [];
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    const mock = await startMock(provider);
    starts.push(performance.now() - t);
    t = performance.now();
    await mock.close();
    closes.push(performance.now() - t);
  }
  console.log(`${provider.padEnd(18)} ${ms(median(starts)).padStart(17)}   ${ms(median(closes)).padStart(14)}`);
}

const totals = [];
const callTimes = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  const mock = await startMock("flashduty");
  const fd = createFlashdutyClient({ appKey: "bench", baseUrl: mock.url });
  const c = performance.now();
  for (let call = 0; call < 20; call++) {
    const { error } = await fd.POST("/monit/datasource/list", { body: {} });
    if (error) throw error;
  }
  callTimes.push(performance.now() - c);
  await mock.close();
  totals.push(performance.now() - t);
}
console.log(`\ntypical user test (start Flashduty mock, 20 calls through the client, close): ${ms(median(totals))} median`);
console.log(`  of which the 20 calls: ${ms(median(callTimes))} (${ms(median(callTimes) / 20)} per call)`);
console.log(`  start-up and close: ${((100 * (median(totals) - median(callTimes))) / median(totals)).toFixed(0)}% of the test`);

// Prism alone (startPrism), until it says it listens: wall time, and its CPU time where /proc tells
// it (Linux). Which of the preload's changes apply is set in the environment Prism inherits.
const CHANGES = { none: "faker,decycle,router", "faker only": "decycle,router", "decycle only": "faker,router", both: "router" };

async function startPrismAlone(spec, skip) {
  process.env.O11YKIT_PRISM_PRELOAD_SKIP = skip;
  const started = performance.now();
  const prism = await startPrism({ spec });
  const result = { wall: performance.now() - started, cpu: processCpuSeconds(prism.pid) };
  await prism.close();
  return result;
}

console.log(`\nPrism's start on each spec, until it listens (median of ${runs} interleaved runs; CPU where /proc has it), by the preload's changes:`);
console.log(`spec               ${Object.keys(CHANGES).map((name) => name.padStart(22)).join("")}`);
for (const provider of MOCK_PROVIDERS) {
  const times = Object.fromEntries(Object.keys(CHANGES).map((name) => [name, { wall: [], cpu: [] }]));
  for (let i = 0; i < runs; i++) {
    for (const [name, skip] of Object.entries(CHANGES)) {
      const { wall, cpu } = await startPrismAlone(specPath(provider), skip);
      times[name].wall.push(wall);
      if (cpu !== undefined) times[name].cpu.push(cpu);
    }
  }
  const none = median(times.none.wall);
  const cells = Object.values(times).map(({ wall, cpu }) => {
    const cpuText = cpu.length ? ` (${median(cpu).toFixed(1)} s)` : "";
    return `${ms(median(wall))}${cpuText} ${(median(wall) / none).toFixed(2)}×`.padStart(22);
  });
  console.log(`${provider.padEnd(18)} ${cells.join("")}`);
}
delete process.env.O11YKIT_PRISM_PRELOAD_SKIP;

// Prism's CPU per request, where /proc tells it (Linux): one valid call per provider, through its client.
const REQUESTS = 300;
const calls = {
  flashduty: (url) => createFlashdutyClient({ appKey: "bench", baseUrl: url, rateLimits: "off" }).dataSources.list({ body: {} }),
  "grafana-cloud": (url) => createGrafanaCloudClient({ token: "bench", baseUrl: url, rateLimits: "off" }).stacks.list({ params: { path: { org_slug: "acme" } } }),
  "clickstack-oss": (url) => createClickStackClient({ apiKey: "bench", baseUrl: url, rateLimits: "off" }).dashboards.list(),
};
const HTTP_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
const ROUTERS = { "Prism's router": "router", "the preload's": "" };

async function cpuPerRequest(provider, skip) {
  process.env.O11YKIT_PRISM_PRELOAD_SKIP = skip;
  const prism = await startPrism({ spec: specPath(provider) });
  try {
    // Unmeasured first calls: Prism compiles each schema it validates against on first use.
    for (let i = 0; i < 20; i++) await answered(calls[provider](prism.url));
    const before = processCpuSeconds(prism.pid);
    if (before === undefined) return undefined;
    for (let i = 0; i < REQUESTS; i++) await answered(calls[provider](prism.url));
    return ((processCpuSeconds(prism.pid) - before) * 1000) / REQUESTS;
  } finally {
    await prism.close();
  }
}

async function answered(call) {
  const { error } = await call;
  if (error) throw error;
}

console.log(`\nPrism's CPU per request on each spec (${REQUESTS} calls after 20 unmeasured; median of ${runs} interleaved runs), by router:`);
console.log(`spec               operations ${Object.keys(ROUTERS).map((name) => name.padStart(16)).join("")}   ratio`);
for (const [provider] of Object.entries(calls)) {
  const times = Object.fromEntries(Object.keys(ROUTERS).map((name) => [name, []]));
  for (let i = 0; i < runs; i++) {
    for (const [name, skip] of Object.entries(ROUTERS)) {
      const ms = await cpuPerRequest(provider, skip);
      if (ms !== undefined) times[name].push(ms);
    }
  }
  const [theirs, ours] = Object.values(times).map(median);
  if (theirs === undefined || Number.isNaN(theirs)) {
    console.log(`${provider.padEnd(18)} (no /proc here to read Prism's CPU from)`);
    continue;
  }
  const paths = Object.values(JSON.parse(fs.readFileSync(specPath(provider), "utf8")).paths);
  const operations = paths.flatMap((item) => Object.keys(item).filter((key) => HTTP_METHODS.has(key))).length;
  console.log(`${provider.padEnd(18)} ${String(operations).padStart(10)} ${[theirs, ours].map((ms) => `${ms.toFixed(2)} ms`.padStart(16)).join("")}   ${(ours / theirs).toFixed(2)}×`);
}
delete process.env.O11YKIT_PRISM_PRELOAD_SKIP;
