// The generator as a user meets it: output from a spec, a clear file:line error for a broken spec,
// the previous output left intact after a failure, and `--check` catching stale output.
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { keepPathsStartingWith } from "./lib/spec-subset.mjs";

vi.setConfig({ testTimeout: 60_000 });

const run = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const generator = path.join(repo, "scripts/generate.mjs");
let dir;

async function generate(...args) {
  try {
    const { stdout, stderr } = await run(process.execPath, [generator, ...args], { cwd: path.join(dir, "pkg") });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

const read = (name) => fs.readFile(path.join(dir, "pkg/src/generated", name), "utf8");

// Every test starts from a fresh spec and package in the same folder, so that the output of one first
// `generate` there (which names the spec by its path) is the output a first run gives in every test:
// the tests after the first start from a copy of it instead of running the generator again (about
// two CPU-seconds a run).
let firstOutput;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "o11ykit-generate-"));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

/** The package's src/ as a first `generate` leaves it: a copy of the first run's, or a run now. */
async function generateFirst() {
  if (firstOutput) return fs.cp(firstOutput, path.join(dir, "pkg/src"), { recursive: true });
  expect((await generate()).code).toBe(0);
  await keepFirstOutput();
}
async function keepFirstOutput() {
  firstOutput = path.join(dir, "first-output");
  await fs.cp(path.join(dir, "pkg/src"), firstOutput, { recursive: true });
}

beforeEach(async () => {
  await fs.rm(path.join(dir, "spec"), { recursive: true, force: true });
  await fs.rm(path.join(dir, "pkg"), { recursive: true, force: true });
  await fs.cp(path.join(repo, "specs/flashduty"), path.join(dir, "spec"), { recursive: true });
  // The data-source operations only (the generator's behaviour does not depend on the spec's size,
  // and the whole API takes a few seconds per run).
  const root = path.join(dir, "spec/openapi.yaml");
  await fs.writeFile(root, keepPathsStartingWith(await fs.readFile(root, "utf8"), "/monit/datasource/"));
  await fs.mkdir(path.join(dir, "pkg"));
  await fs.writeFile(
    path.join(dir, "pkg/package.json"),
    JSON.stringify({ name: "fixture", o11ykit: { provider: "flashduty", spec: "../spec/openapi.yaml" } }),
  );
});

describe("generate", () => {
  it("writes types, metadata and the bundled spec", async () => {
    const result = await generate();
    expect(result.code).toBe(0);
    await keepFirstOutput();
    expect(result.stdout).toMatch(/generated from .*openapi.yaml \(\d+ operations\)/);
    expect(await read("schema.ts")).toMatch(/"\/monit\/datasource\/create": \{/);
    const metadata = await read("metadata.ts");
    expect(metadata).toContain('"operationId": "createDataSource"');
    // Compact: false flags are left out, and the shared limits are stated once on \`api\`.
    expect(metadata).toMatch(/"POST \/monit\/datasource\/create": \{\s*"operationId": "createDataSource",\s*"call": "dataSources.create"\s*\}/);
    expect(metadata).toMatch(/"POST \/monit\/datasource\/info": \{[^}]*"retrySafe": true/);
    expect(metadata).toMatch(/"rateLimits": \[\s*\{\s*"bucket": "account-per-second"/);
    const methods = await read("methods.ts");
    expect(methods).toMatch(/^\s+\* Create a data source$/m);
    expect(methods).toMatch(/create: OperationMethod<Paths, "\/monit\/datasource\/create", "post", Code, Throws>;/);
    expect(metadata).toContain('export type RateLimitBucket = "account-per-second" | "account-per-minute"');
    expect(JSON.parse(await read("openapi.json")).components.schemas.DataSource).toBeDefined();
  });

  it("names the file and line of a broken spec and keeps the previous output", async () => {
    await generateFirst();
    const before = await read("metadata.ts");
    const schemas = path.join(dir, "spec/resources/datasources.schemas.yaml");
    const lines = (await fs.readFile(schemas, "utf8")).split("\n");
    const line = lines.findIndex((l) => l.startsWith("DataSourceType:")) + 2; // 1-based line of `description:`
    lines[line - 1] = "  description: broken: [yaml";
    await fs.writeFile(schemas, lines.join("\n"));

    const result = await generate();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`spec/resources/datasources.schemas.yaml:${line}:\\d+`));
    expect(await read("metadata.ts")).toBe(before);
    expect((await fs.readdir(path.join(dir, "pkg/src"))).filter((f) => f.includes("staging"))).toEqual([]);
  });

  it("says which operations a regeneration changed, added or removed", async () => {
    await generateFirst();
    const paths = path.join(dir, "spec/resources/datasources.paths.yaml");
    const text = await fs.readFile(paths, "utf8");
    await fs.writeFile(paths, text.replace("summary: Create a data source", "summary: Create one data source"));
    expect((await generate()).stdout).toContain("~ POST /monit/datasource/create: fix");
    const root = path.join(dir, "spec/openapi.yaml");
    await fs.writeFile(root, (await fs.readFile(root, "utf8")).replace(/  \/monit\/datasource\/sls\/logstores:\n    \$ref: [^\n]+\n/, ""));
    expect((await generate()).stdout).toContain("- POST /monit/datasource/sls/logstores");
  });

  it("--check fails on stale output and names the files", async () => {
    await generateFirst();
    expect((await generate("--check")).code).toBe(0);
    const paths = path.join(dir, "spec/resources/datasources.paths.yaml");
    await fs.writeFile(paths, (await fs.readFile(paths, "utf8")).replace("summary: Create a data source", "summary: Create one data source"));
    const result = await generate("--check");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/src\/generated is stale \(schema.ts, methods.ts, openapi.json\): run `pnpm generate`/);
  });
});
