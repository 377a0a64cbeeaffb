#!/usr/bin/env node
/**
 * How long the mocks take, measured in one run: each provider's start-up (Prism plus the scenario
 * proxy, until the first request is answered), and a typical user test — start the Flashduty mock,
 * make 20 calls through the client, close — repeated RUNS times (default 3), with the median.
 */
import { createFlashdutyClient } from "@o11ykit/flashduty";
import { MOCK_PROVIDERS, startMock } from "@o11ykit/mock";
import { median } from "./lib/stats.mjs";

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
