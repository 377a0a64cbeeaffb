#!/usr/bin/env node
// `npm test`: every check and test. Fails first if the committed generated code is stale (before the
// pipeline regenerates it) or if a spec changed without the changeset its changes need, then lets
// turbo run lint, package lint, typecheck and every package's tests, and ends with one summary line
// counted from the test runs' JSON reports.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const reportDirs = ["scripts", ...fs.readdirSync(path.join(root, "packages")).map((p) => path.join("packages", p))];
const reports = reportDirs.map((dir) => path.join(root, dir, ".tmp/vitest-results.json"));
for (const report of reports) fs.rmSync(report, { force: true });

function step(command, args) {
  console.log(`\n$ ${[command, ...args].join(" ")}`);
  return spawnSync(command, args, { cwd: root, stdio: "inherit" }).status === 0;
}

const turbo = path.join(root, "node_modules/.bin/turbo");
const ok =
  step(process.execPath, ["scripts/generate.mjs", "--check"]) &&
  step(process.execPath, ["scripts/spec-diff.mjs"]) &&
  step(turbo, ["run", "lint", "lint:package", "typecheck", "test", "test:scripts", "--concurrency=2", "--continue"]);

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
process.exit(ok && failed === 0 && passed > 0 ? 0 : 1);
