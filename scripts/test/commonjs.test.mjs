// CommonJS users can require() every published package (Node >= 20.19 loads ES modules with require()
// when their module graph has no top-level await). A throwaway project links the packages into its
// node_modules, as an install would, and a plain `node file.cjs` child process requires each one, every
// JavaScript entry point it exports, and makes one trivial call (constructing a client). TypeScript
// CommonJS users get the types under "module": "nodenext" (fixtures/commonjs/usage.cts, type-checked
// with the published packages by registry-roundtrip.test.mjs); "node16" refuses the require, as the
// README says (and why the packages' attw check uses its esm-only profile, which leaves node16-cjs out).
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const FIXTURES = path.join(here, "fixtures/commonjs");
const FIXTURE = path.join(FIXTURES, "require-packages.cjs");
const tsc = path.join(repo, "node_modules/.bin/tsc");

/** Every package the repository publishes (not `private`), by name, with its directory. */
const published = fs
  .readdirSync(path.join(repo, "packages"))
  .map((dir) => ({ dir: path.join(repo, "packages", dir), manifest: JSON.parse(fs.readFileSync(path.join(repo, "packages", dir, "package.json"), "utf8")) }))
  .filter(({ manifest }) => !manifest.private);
const names = published.map(({ manifest }) => manifest.name);

let consumer;
beforeAll(() => {
  consumer = fs.mkdtempSync(path.join(os.tmpdir(), "o11ykit-cjs-"));
  fs.mkdirSync(path.join(consumer, "node_modules/@o11ykit"), { recursive: true });
  for (const { dir, manifest } of published) fs.symlinkSync(dir, path.join(consumer, "node_modules", manifest.name), "dir");
  fs.copyFileSync(FIXTURE, path.join(consumer, "require-packages.cjs"));
});
afterAll(() => {
  if (consumer) fs.rmSync(consumer, { recursive: true, force: true });
});

it("the published packages are the ones this test knows", () => {
  expect(names).toEqual(expect.arrayContaining(["@o11ykit/core", "@o11ykit/flashduty", "@o11ykit/grafana-cloud", "@o11ykit/clickstack", "@o11ykit/mock"]));
});

it("a CommonJS file requires every published package and uses it, without warnings", async () => {
  const { stdout, stderr } = await run(process.execPath, ["require-packages.cjs", ...names], { cwd: consumer, timeout: 30_000 });
  // require(esm) is stable from Node 20.19: no ExperimentalWarning (or any other) for the user to see.
  expect(stderr).toBe("");
  const results = JSON.parse(stdout.trim());
  expect(Object.keys(results).sort()).toEqual([...names].sort());

  for (const { manifest } of published) {
    const entries = Object.keys(manifest.exports).filter((subpath) => !subpath.endsWith(".json"));
    for (const subpath of entries) expect(results[manifest.name].loaded[subpath], `${manifest.name} ${subpath}`).toBeGreaterThan(0);
  }
  expect(results["@o11ykit/core"].use).toEqual({ createApiClient: "function", configErrorIsO11ykitError: true });
  expect(results["@o11ykit/flashduty"].use).toEqual({ POST: "function", missingKey: "ConfigError from @o11ykit/core" });
  expect(results["@o11ykit/grafana-cloud"].use).toEqual({ GET: "function" });
  expect(results["@o11ykit/clickstack"].use).toEqual({ oss: "function", cloud: "function" });
  expect(results["@o11ykit/mock"].use).toEqual({ startMock: "function", providers: ["flashduty", "grafana-cloud", "clickstack-cloud", "clickstack-oss"] });
  if (names.includes("@o11ykit/redis")) {
    expect(results["@o11ykit/redis"].use).toEqual({ POST: "function", missingClient: "ConfigError from @o11ykit/core" });
  }
});

it("TypeScript refuses a CommonJS require of the packages under module node16", async () => {
  // fixtures/commonjs/tsconfig.json compiles usage.cts under node16. The refusal is an error in usage.cts
  // itself: library checking (done for nodenext by the registry round trip) is left out, which it would
  // make three times as long.
  const node16 = await run(tsc, ["-p", FIXTURES], { timeout: 120_000 }).then(
    () => "",
    (error) => `${error.stdout}${error.stderr}`,
  );
  expect(node16).toMatch(/usage\.cts\(\d+,\d+\): error TS1471: Module '@o11ykit\/flashduty' cannot be imported using this construct/);
}, 120_000);
