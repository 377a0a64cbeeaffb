// The release path for real: the workspace is published into a local Verdaccio registry, a fresh
// project outside the workspace installs the provider packages with plain `npm install`, type-checks a
// usage file with `tsc --strict` (library types included), and runs it against the mocks it installed.
// If a published tarball lacks a file, this fails. The same type-check covers TypeScript CommonJS
// users (fixtures/commonjs/usage.cts requires every package under "module": "nodenext"; commonjs.test.mjs
// runs the requires) and users who compile with `exactOptionalPropertyTypes` and
// `noUncheckedIndexedAccess` (fixtures/exact-optional.ts configures every client from the environment).
// Those two options only make assignments to optional properties and index reads stricter, so one check
// under them also stands for a project without them; the README's snippets are checked without them
// (mock-e2e's readme-types.test.ts).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startLocalRegistry } from "../harness/local-registry.mjs";

// Asynchronous on purpose: Verdaccio runs in this process, so a synchronous child would block it.
const run = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PUBLISHED = ["core", "flashduty", "grafana-cloud", "clickstack", "mock"];
const version = (name) => JSON.parse(fs.readFileSync(path.join(repo, "packages", name, "package.json"), "utf8")).version;
let registry;
let consumer;

beforeAll(async () => {
  registry = await startLocalRegistry();
  consumer = fs.mkdtempSync(path.join(os.tmpdir(), "o11ykit-consumer-"));
}, 60_000);
afterAll(async () => {
  await registry?.close();
  if (consumer) fs.rmSync(consumer, { recursive: true, force: true });
}, 60_000); // Verdaccio can take more than the default 10 s to stop on a loaded machine

const USAGE = `
import { createFlashdutyClient, ApiError, type DataSource } from "@o11ykit/flashduty";
import { createGrafanaCloudClient } from "@o11ykit/grafana-cloud";
import { createClickStackClient, type Dashboard } from "@o11ykit/clickstack";
import { startMock } from "@o11ykit/mock";

const results: Record<string, unknown> = {};

const flashduty = await startMock("flashduty");
try {
  const fd = createFlashdutyClient({ appKey: "consumer-key", baseUrl: flashduty.url });
  const created = await fd.POST("/monit/datasource/create", {
    body: { type_ident: "prometheus", name: "Prometheus Prod", address: "http://prometheus:9090", edge_cluster_name: "default", payload: { prometheus: {} } },
  });
  if (created.error) throw created.error;
  const source: DataSource = created.data;
  results.flashduty = source.id;
  await flashduty.providerError({ status: 400, code: "InvalidParameter" });
  const failed = await fd.POST("/monit/datasource/info", { body: { id: 1 } });
  results.flashdutyError = failed.error instanceof ApiError ? failed.error.code : "no ApiError";
} finally {
  await flashduty.close();
}

const grafana = await startMock("grafana-cloud");
try {
  const gc = createGrafanaCloudClient({ token: "glc_consumer", baseUrl: grafana.url });
  const names: string[] = [];
  for await (const policy of gc.paginate("/v1/accesspolicies", { params: { query: { region: "eu" } } })) names.push(policy.name);
  results.grafana = names;
} finally {
  await grafana.close();
}

const clickstack = await startMock("clickstack-oss");
try {
  const cs = createClickStackClient({ baseUrl: clickstack.url, apiKey: "consumer-key" });
  const { data, error } = await cs.GET("/api/v2/dashboards");
  if (error) throw error;
  const dashboards: Dashboard[] = data;
  results.clickstack = dashboards.map((d) => d.name);
} finally {
  await clickstack.close();
}

console.log(JSON.stringify(results));
`;

it("publishes every package, installs them with npm, type-checks ESM and CommonJS use strictly (exact optional properties too) and runs against the mocks", async () => {
  // A clean npm environment: when this runs under `pnpm run`, pnpm's npm_config_* variables (its
  // overrides, its registry settings) would otherwise leak into the consumer's plain `npm install`.
  // Nor does the consumer see a run's shared Prisms (O11YKIT_MOCK_PRISMS): its mocks must start the
  // Prism that its own install brought.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|pnpm_)/i.test(k) && k !== "O11YKIT_MOCK_PRISMS"));
  env.npm_config_userconfig = registry.npmrc;
  // The release command's publish step, as `pnpm release` runs it (changesets publishes what the registry lacks).
  await run(path.join(repo, "node_modules/.bin/changeset"), ["publish", "--no-git-tag"], { cwd: repo, env: { ...env, npm_config_registry: registry.url }, maxBuffer: 1 << 26 });
  // The registry lists each version just published. Read with one HTTP request per package (what
  // `npm view` reads, without starting npm five times: each npm process costs about a CPU-second).
  for (const name of PUBLISHED) {
    const response = await fetch(new URL(`@o11ykit%2f${name}`, registry.url), { headers: { accept: "application/json" } });
    expect(response.status, `@o11ykit/${name}`).toBe(200);
    const packument = await response.json();
    expect(packument.versions?.[version(name)]?.version, `@o11ykit/${name}`).toBe(version(name));
    expect(packument["dist-tags"]?.latest, `@o11ykit/${name}`).toBe(version(name));
  }

  fs.writeFileSync(
    path.join(consumer, "package.json"),
    JSON.stringify({
      name: "o11ykit-consumer",
      private: true,
      type: "module",
      dependencies: Object.fromEntries(PUBLISHED.map((n) => [`@o11ykit/${n}`, version(n)])),
      devDependencies: { typescript: "5.9.3", "@types/node": "^20.19.0" },
    }),
  );
  // Library checking on, for the packages' declarations (and their dependencies'); TypeScript's own
  // lib.*.d.ts files are left unchecked (skipDefaultLibCheck): they are not ours, and lib.dom.d.ts
  // alone is a fifth of a run's CPU.
  const compilerOptions = {
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    skipLibCheck: false,
    skipDefaultLibCheck: true,
    types: ["node"],
    lib: ["ES2023", "DOM", "DOM.Iterable"],
  };
  fs.writeFileSync(path.join(consumer, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["usage.ts", "exact-optional.ts", "usage.cts"] }));
  fs.writeFileSync(path.join(consumer, "usage.ts"), USAGE);
  fs.copyFileSync(path.join(repo, "scripts/test/fixtures/exact-optional.ts"), path.join(consumer, "exact-optional.ts"));
  fs.copyFileSync(path.join(repo, "scripts/test/fixtures/commonjs/usage.cts"), path.join(consumer, "usage.cts"));

  // The consumer's registries, as a user's install gets them: the @o11ykit scope from the local registry
  // (what was just published), every other package from the registry npm is configured with. The third-
  // party packages (Prism's large tree under @o11ykit/mock) then come with `--prefer-offline` from npm's
  // own cache once a run has fetched them: proxied through Verdaccio instead, their metadata had a new
  // URL each run (a new port), so npm asked for every one again and Verdaccio fetched it upstream, about
  // half of this test's time. The @o11ykit packages are never in that cache: their URL has this run's
  // port, and the checks below (the tarball, not a link; its code running) still see what was published.
  fs.writeFileSync(path.join(consumer, ".npmrc"), `registry=${registry.upstream}\n@o11ykit:registry=${registry.url}\n`);
  // One retry absorbs a network blip (a cold npm cache fetches from the upstream registry).
  const install = () => run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: consumer, env, maxBuffer: 1 << 26 });
  await install().catch(install);
  // The consumer got the published packages, not links into the workspace.
  expect(fs.lstatSync(path.join(consumer, "node_modules/@o11ykit/flashduty")).isSymbolicLink()).toBe(false);
  // tsc prints its diagnostics on stdout: shown as the failure, not as "Command failed".
  const typeCheck = await run(path.join(consumer, "node_modules/.bin/tsc"), ["-p", consumer], { cwd: consumer }).catch((error) => error);
  expect(`${typeCheck.stdout}${typeCheck.stderr}`).toBe("");
  const { stdout: output } = await run(process.execPath, ["usage.js"], { cwd: consumer });
  expect(JSON.parse(output.trim().split("\n").pop())).toEqual({
    flashduty: 10,
    flashdutyError: "InvalidParameter",
    grafana: ["stack-readers"],
    clickstack: ["Checkout service", "Payments overview"],
  });
}, 600_000);
