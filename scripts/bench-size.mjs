#!/usr/bin/env node
// `pnpm bench:size`: what an app that uses one provider ships. Bundles a one-call app per provider
// (and bare openapi-fetch, for scale) with esbuild, minified, and prints the min+gzip size of each;
// then each provider's generated metadata alone, split into its API-wide part and the bytes each
// operation adds, so the metadata's growth with the number of operations stays visible.
import { build } from "esbuild";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { providerPackages, specsOf, workspacePackageDirs } from "./lib/provider-packages.mjs";

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
mkdirSync(path.join(repo, ".tmp"), { recursive: true });
const dir = mkdtempSync(path.join(repo, ".tmp/size-"));
// Packages resolve as a user's would: the clients from a package that depends on all of them,
// openapi-fetch from the core's dependencies.
const nodePaths = [path.join(repo, "packages/fault-suite/node_modules"), path.join(repo, "packages/core/node_modules")];

const apps = {
  "openapi-fetch alone": `import createClient from "openapi-fetch"; const c = createClient({ baseUrl: "https://x" }); console.log(await c.POST("/monit/datasource/list", { body: {} }));`,
  "@o11ykit/flashduty": `import { createFlashdutyClient } from "@o11ykit/flashduty"; const fd = createFlashdutyClient({ appKey: process.env.K }); console.log(await fd.dataSources.list({ body: {} }));`,
  "@o11ykit/grafana-cloud": `import { createGrafanaCloudClient } from "@o11ykit/grafana-cloud"; const gc = createGrafanaCloudClient({ token: process.env.T }); console.log(await gc.stacks.list({ params: { path: { org_slug: "acme" } } }));`,
  "@o11ykit/clickstack (open source)": `import { createClickStackClient } from "@o11ykit/clickstack"; const cs = createClickStackClient({ baseUrl: "http://h", apiKey: process.env.K }); console.log(await cs.dashboards.list());`,
};

/** A module's size minified and gzipped, alone (not bundled). */
async function minifiedGzip(file) {
  const result = await build({ entryPoints: [file], bundle: false, minify: true, format: "esm", write: false, logLevel: "error" });
  return gzipSync(result.outputFiles[0].contents, { level: 9 }).length;
}

// Each spec's generated runtime metadata, as built (src/generated/… → dist/generated/…/metadata.js),
// whose size grows with the number of operations.
const metadataModules = (await providerPackages(await workspacePackageDirs(repo)))
  .filter(({ pkg }) => !pkg.o11ykit.bundles)
  .flatMap((p) => specsOf(p).map(({ name, outDir }) => ({ name, file: path.join(p.dir, "dist", path.relative(path.join(p.dir, "src"), outDir), "metadata.js") })));

try {
  console.log("app                                  min      min+gz");
  const sizes = {};
  for (const [name, source] of Object.entries(apps)) {
    const entry = path.join(dir, "app.mjs");
    writeFileSync(entry, source);
    const result = await build({ entryPoints: [entry], bundle: true, minify: true, format: "esm", platform: "neutral", mainFields: ["module", "main"], nodePaths, write: false, logLevel: "error" });
    const code = result.outputFiles[0].contents;
    const gzipped = gzipSync(code, { level: 9 }).length / 1024;
    sizes[name] = gzipped;
    console.log(`${name.padEnd(36)} ${(code.length / 1024).toFixed(1).padStart(6)} kB ${gzipped.toFixed(1).padStart(6)} kB`);
  }
  // Issue 17's targets: a single-provider app ≤ 10 kB min+gz, except that the whole Flashduty API
  // (350 operations) may take up to 15 kB.
  const limitOf = (name) => (name === "@o11ykit/flashduty" ? 15 : 10);
  const misses = Object.entries(sizes)
    .filter(([name, kb]) => name.startsWith("@o11ykit/") && kb > limitOf(name))
    .map(([name, kb]) => `${name} ${kb.toFixed(1)} kB > ${limitOf(name)} kB`);
  // The metadata alone, per provider: what grows with the number of operations.
  console.log("\nruntime metadata                     ops   min+gz   API part   per operation");
  for (const { name, file } of metadataModules) {
    const { api, operations } = await import(file);
    const count = Object.keys(operations).length;
    const whole = await minifiedGzip(file);
    // What does not grow with the operations: the module with an empty operations table.
    writeFileSync(path.join(dir, "api-only.mjs"), `export const api = ${JSON.stringify(api)}; export const operations = {};`);
    const apiPart = await minifiedGzip(path.join(dir, "api-only.mjs"));
    console.log(`${name.padEnd(36)} ${String(count).padStart(4)} ${(whole / 1024).toFixed(1).padStart(6)} kB ${(apiPart / 1024).toFixed(1).padStart(6)} kB ${((whole - apiPart) / count).toFixed(1).padStart(10)} B`);
  }
  console.log(misses.length ? `\ntargets missed: ${misses.join("; ")}` : "\ntargets met: every single-provider app ≤ 10 kB min+gz, the full Flashduty API < 15 kB");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
