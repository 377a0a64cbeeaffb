// The Redocly plugin reports malformed x-o11ykit-* extensions with their file and line.
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { keepPathsStartingWith } from "./lib/spec-subset.mjs";

const run = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let dir;

/**
 * Copies a provider's spec folder to `into/copyAs` beside the repository's Redocly config (written to
 * `into`, the API's root moved along); returns the copied root document's path.
 */
async function copySpecToLint(into, provider, copyAs, root) {
  await fs.cp(path.join(repo, "specs", provider), path.join(into, copyAs), { recursive: true });
  await fs.writeFile(
    path.join(into, "redocly.yaml"),
    (await fs.readFile(path.join(repo, "redocly.yaml"), "utf8"))
      .replace("./scripts/redocly/o11ykit-plugin.js", path.join(repo, "scripts/redocly/o11ykit-plugin.js"))
      .replace(`specs/${provider}/${root}`, `${copyAs}/${root}`),
  );
  return path.join(into, copyAs, root);
}

/** `redocly lint <api>` in `cwd`, as file:line code frames; resolves with its exit code and output. */
async function lint(api, cwd) {
  const result = await run(path.join(repo, "node_modules/.bin/redocly"), ["lint", api, "--format", "codeframe"], { cwd }).catch((e) => e);
  return { code: result.code ?? 0, output: `${result.stdout}${result.stderr}` };
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "o11ykit-lint-"));
  await copySpecToLint(dir, "flashduty", "spec", "openapi.yaml");
  // The data-source operations are enough to lint (a bad extension is reported wherever it is), and
  // linting the whole API takes seconds.
  const root = path.join(dir, "spec/openapi.yaml");
  const subset = keepPathsStartingWith(await fs.readFile(root, "utf8"), "/monit/datasource/");
  await fs.writeFile(root, subset.replace("    requests: 1000", "    requests: -1"));
  const paths = path.join(dir, "spec/resources/datasources.paths.yaml");
  // Rate-limit buckets that break "one bucket, one budget": the update names a root bucket and lists
  // its own twice; the delete gives that own bucket another window.
  const limits = (...entries) => `x-o11ykit-rate-limits: [${entries.map(([bucket, requests, periodSeconds]) => `{bucket: ${bucket}, requests: ${requests}, periodSeconds: ${periodSeconds}}`).join(", ")}]`;
  const update = "x-o11ykit-crud: {collection: datasources, role: update, id: {in: body, name: id}}";
  const remove = "x-o11ykit-crud: {collection: datasources, role: delete, id: {in: body, name: id}}";
  const text = (await fs.readFile(paths, "utf8"))
    .replace("x-o11ykit-retry-safe: false", "x-o11ykit-retry-safe: maybe")
    .replace(update, `${update}\n    ${limits(["datasource-writes", 5, 1], ["account-per-second", 50, 1], ["datasource-writes", 5, 1])}`)
    .replace(remove, `${remove}\n    ${limits(["datasource-writes", 5, 2])}`);
  expect(text).toContain("datasource-writes, requests: 5, periodSeconds: 2");
  await fs.writeFile(paths, text);
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

it("fails lint with file:line for each bad extension", async () => {
  const { code, output } = await lint("flashduty@v1", dir);
  expect(code).toBe(1);
  expect(output).toMatch(/spec\/openapi.yaml:\d+:\d+ at #\/x-o11ykit-rate-limits\/1\/requests/);
  expect(output).toContain("`x-o11ykit-rate-limits.1.requests` must be a positive integer");
  expect(output).toMatch(/spec\/resources\/datasources.paths.yaml:\d+:\d+ at #\/create\/post\/x-o11ykit-retry-safe/);
  expect(output).toContain("`x-o11ykit-retry-safe` must be true or false");
  // One bucket, one budget: each report at its line.
  expect(output).toMatch(/datasources.paths.yaml:\d+:\d+ at #\/update\/post\/x-o11ykit-rate-limits\/1\/bucket/);
  expect(output).toContain("names `account-per-second`, a bucket the document root declares for every operation already");
  expect(output).toMatch(/datasources.paths.yaml:\d+:\d+ at #\/update\/post\/x-o11ykit-rate-limits\/2\/bucket/);
  expect(output).toContain("names `datasource-writes` a second time in this list");
  expect(output).toMatch(/datasources.paths.yaml:\d+:\d+ at #\/delete\/post\/x-o11ykit-rate-limits\/0\/bucket/);
  expect(output).toContain("gives `datasource-writes` 5 per 2 s, but another operation gives it 5 per 1 s");
}, 60_000);

it("checks x-o11ykit-pattern on server variables: anchored, and matching the variable's default", async () => {
  const cloud = path.join(dir, "cloud-lint");
  // The cloud spec refers to ../shared: the whole clickstack folder is copied.
  const root = await copySpecToLint(cloud, "clickstack", "clickstack", "cloud/openapi.yaml");
  const spec = await fs.readFile(root, "utf8");
  const patterns = [...spec.matchAll(/x-o11ykit-pattern: .*/g)];
  expect(patterns).toHaveLength(2);
  // organizationId's pattern no longer matches its default; serviceId's is not anchored.
  await fs.writeFile(root, spec.replace(patterns[0][0], () => "x-o11ykit-pattern: '^[0-9]+$'").replace(patterns[1][0], () => "x-o11ykit-pattern: '[0-9a-f-]+'"));
  const { code, output } = await lint("clickstack-cloud@v1", cloud);
  expect(code).toBe(1);
  expect(output).toMatch(/cloud\/openapi.yaml:\d+:\d+ at #\/servers\/0\/variables\/organizationId\/x-o11ykit-pattern/);
  expect(output).toContain('`x-o11ykit-pattern` does not match the variable\'s default "00000000-0000-0000-0000-000000000000"');
  expect(output).toMatch(/cloud\/openapi.yaml:\d+:\d+ at #\/servers\/0\/variables\/serviceId\/x-o11ykit-pattern/);
  expect(output).toContain("`x-o11ykit-pattern` must be anchored");
}, 60_000);
