#!/usr/bin/env node
// `npm test`: every check and test. Fails if a spec changed without the changeset its changes need,
// lets turbo generate, build, lint, package-lint and typecheck, runs every package's tests, and ends
// with one summary line counted from the test runs' JSON reports.
//
// The order is chosen for a 2-core machine, where the run is bound by CPU and by its longest suites:
//   1. `spec:diff`, which only reads, runs beside the steps below (its output held back until it
//      ends); it stops the run if it fails;
//   2. turbo: generate, build, lint, package lint and typecheck (cached, so seconds, unless sources
//      changed);
//   3. one Prism per provider for every suite of the run, started with @o11ykit/mock's shared-Prism
//      setup and named in the environment the suites inherit: each suite's startMock() and
//      startPrism({ share: true }) use them (a suite's own shared-Prism setup keeps them, see
//      vitest-shared-prism.ts), so a provider's Prism starts once, and compiles each operation's
//      validators once, instead of once per suite. Prism start-ups were a third of the run's CPU;
//   4. the test suites in three lanes side by side (LANES below), each lane one suite after another:
//      three lanes on two cores keep both busy while a suite waits (on a timer, a child process, the
//      network), and a fixed split keeps the long suites from starting late and ending the run. Every
//      suite still runs through turbo, as `turbo run <pkg>#test --only` (its dependencies, the
//      builds, are done in step 2; turbo.json passes the shared Prisms' variable through to them).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { childrenCpuSeconds } from "./harness/proc-cpu.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const reportDirs = ["scripts", ...fs.readdirSync(path.join(root, "packages")).map((p) => path.join("packages", p))];
const reports = reportDirs.map((dir) => path.join(root, dir, ".tmp/vitest-results.json"));
for (const report of reports) fs.rmSync(report, { force: true });

const turbo = path.join(root, "node_modules/.bin/turbo");
const countingCpu = path.join(root, "scripts/harness/run-counting-cpu.mjs");

// The lanes of step 4. The run is bound by CPU (two cores), so the lanes should end at about the same
// time and no lane should hold two of the long suites: lane 1 is the release tests (the longest suite,
// two files at a time), then the Flashduty contract tests; lane 2 the Prism-bound suites (each runs two
// files at a time, see their vitest.config.ts), then the ClickStack and Grafana Cloud contract tests;
// lane 3 the suites that mostly wait (on timers, Redis, child processes) and so leave CPU to the other
// two, then the core's unit tests. `npm test` ends with a table of when each suite began, how long it
// took and the CPU it used: rebalance the lanes from it when a suite's time changes a lot. A suite that
// is not listed joins the last lane. (The shared Prisms' CPU, spent answering every suite, is in no
// suite's figure, only in the run's total.)
const LANES = [
  ["//#test:scripts", "@o11ykit/flashduty#test"],
  ["@o11ykit/mock#test", "@o11ykit/mock-e2e#test", "@o11ykit/clickstack#test", "@o11ykit/grafana-cloud#test"],
  ["@o11ykit/redis#test", "@o11ykit/fault-suite#test", "@o11ykit/core#test"],
];

/** Processes started by `start` and still running, so that a failure elsewhere can stop them. */
const running = new Set();
let stopped = false;

/**
 * Starts a command beside others. With `holdOutput` its output is printed in one piece when it ends,
 * so that it does not cut into turbo's lines. With `cpu` (an object), the command runs through
 * harness/run-counting-cpu.mjs and `cpu.seconds` is set to the CPU it used, where the system tells.
 */
function start(command, args, { holdOutput = false, cpu } = {}) {
  if (stopped) return Promise.resolve(false);
  const shown = `$ ${[command, ...args].join(" ")}`;
  if (!holdOutput) console.log(`\n${shown}`);
  const stdio = holdOutput ? ["ignore", "pipe", "pipe"] : ["inherit", "inherit", "inherit"];
  const child = cpu
    ? spawn(process.execPath, [countingCpu, command, ...args], { cwd: root, stdio: [...stdio, "pipe"] })
    : spawn(command, args, { cwd: root, stdio });
  running.add(child);
  let output = "";
  let cpuReport = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  child.stdio[3]?.on("data", (chunk) => (cpuReport += chunk));
  return new Promise((resolve) => {
    const finish = (ok) => {
      running.delete(child);
      if (holdOutput) console.log(`\n${shown}\n${output}`);
      if (cpu && cpuReport.trim()) cpu.seconds = Number(cpuReport);
      resolve(ok);
    };
    child.once("error", (error) => ((output += `${error.message}\n`), finish(false)));
    child.once("close", (code) => finish(code === 0));
  });
}

/** Stops every running command (turbo passes SIGINT on to its tasks) and starts no more. */
function stopAll() {
  stopped = true;
  for (const child of running) child.kill("SIGINT");
}

/** Every test task: each package's `test` script and the root's `test:scripts`, as turbo names them. */
function testTasks() {
  const packages = fs.readdirSync(path.join(root, "packages")).flatMap((dir) => {
    const file = path.join(root, "packages", dir, "package.json");
    if (!fs.existsSync(file)) return [];
    const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
    return manifest.scripts?.test ? [`${manifest.name}#test`] : [];
  });
  return ["//#test:scripts", ...packages];
}

/** LANES, without suites that no longer exist, and with every unlisted suite added to the last lane. */
function lanesFor(tasks) {
  const lanes = LANES.map((lane) => lane.filter((task) => tasks.includes(task)));
  lanes.at(-1).push(...tasks.filter((task) => !LANES.flat().includes(task)));
  return lanes;
}

/**
 * When each step and suite ran, for the table at the end (seconds since the run began), and the CPU
 * seconds it used when `run` fills in `cpu.seconds`.
 */
const began = Date.now();
const timings = [];
async function timed(label, run) {
  const at = (Date.now() - began) / 1000;
  const cpu = {};
  const result = await run(cpu);
  timings.push({ label, at, seconds: (Date.now() - began) / 1000 - at, cpuSeconds: cpu.seconds, passed: Boolean(result) });
  return result;
}

/**
 * Step 3: starts the shared Prisms (the built @o11ykit/mock's own setup, which sets the variable in
 * this process's environment, so every suite started afterwards inherits it) and returns what stops
 * them. Without them (the build failed, say) each suite starts its own, so this only says so.
 */
async function startSharedPrisms() {
  try {
    const { default: setupSharedPrisms } = await import("@o11ykit/mock/vitest-shared-prism");
    return await setupSharedPrisms();
  } catch (error) {
    console.log(`\nshared Prisms not started, so each suite starts its own: ${error.message}`);
    return async () => {};
  }
}

/** Runs a lane's tasks one after another (going on past a failure, as `turbo --continue` would). */
async function runLane(tasks) {
  let ok = true;
  for (const task of tasks) {
    if (stopped) return false;
    ok = (await timed(task, (cpu) => start(turbo, ["run", task, "--only"], { cpu }))) && ok;
  }
  return ok;
}

async function main() {
  const specDiff = timed("spec:diff", (cpu) => start(process.execPath, ["scripts/spec-diff.mjs"], { holdOutput: true, cpu })).then((ok) => (ok || stopAll(), ok));
  const checks = await timed("generate, build, lint, lint:package, typecheck", (cpu) =>
    start(turbo, ["run", "build", "lint", "lint:package", "typecheck", "--concurrency=2", "--continue"], { cpu }),
  );
  const stopSharedPrisms = await timed("shared Prisms", startSharedPrisms);
  const lanes = lanesFor(testTasks());
  console.log(`\ntest lanes, side by side:\n${lanes.map((lane, i) => `  ${i + 1}. ${lane.join(", ")}`).join("\n")}`);
  const lanesOk = await Promise.all(lanes.map(runLane));
  await stopSharedPrisms();
  const specsOk = await specDiff;
  // A suite's wall time depends on what ran beside it; its CPU time does not, so rebalance LANES and
  // look for savings by the CPU column.
  console.log("\nsteps and suites (began at, took, CPU used; seconds):");
  for (const { label, at, seconds, cpuSeconds, passed } of timings) {
    const cpu = cpuSeconds === undefined ? "" : cpuSeconds.toFixed(1);
    console.log(`  ${at.toFixed(1).padStart(6)}  ${seconds.toFixed(1).padStart(6)}  ${cpu.padStart(6)}  ${passed ? "ok  " : "FAIL"}  ${label}`);
  }
  return specsOk && checks && lanesOk.every(Boolean);
}

const ok = await main();

let passed = 0;
let failed = 0;
let files = 0;
for (const report of reports) {
  if (!fs.existsSync(report)) continue;
  const { numPassedTests, numFailedTests } = JSON.parse(fs.readFileSync(report, "utf8"));
  passed += numPassedTests;
  failed += numFailedTests;
  files++;
}
console.log(`\ntest summary (${files} vitest runs):`);
console.log(`${passed} passed, ${failed} failed`);
// The CPU time of every process the run started, children's children included: when it is about the
// wall time times the cores, the run is bound by CPU, and only less work, not more parallelism, makes
// it shorter.
const cpu = childrenCpuSeconds();
if (cpu !== undefined) {
  const wall = (Date.now() - began) / 1000;
  const cores = os.availableParallelism();
  console.log(`CPU: ${cpu.toFixed(0)} s over ${wall.toFixed(0)} s on ${cores} cores (${(cpu / wall).toFixed(1)} busy on average)`);
}
process.exit(ok && failed === 0 && passed > 0 ? 0 : 1);
