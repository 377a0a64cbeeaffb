#!/usr/bin/env node
// `pnpm bench:size`: what an app that uses one provider ships. Bundles a one-call app per provider
// (and bare openapi-fetch, for scale) with esbuild, minified, and prints the min+gzip size of each,
// so the runtime metadata's growth with the number of operations stays visible.
import { build } from "esbuild";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

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
  console.log(misses.length ? `\ntargets missed: ${misses.join("; ")}` : "\ntargets met: every single-provider app ≤ 10 kB min+gz, the full Flashduty API < 15 kB");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
