#!/usr/bin/env node
// `pnpm bench:size`: what an app that uses one provider ships. Bundles a one-call app per provider with
// esbuild, minified, and prints the min+gzip size of each beside reference clients measured the same
// way in the same run (bare openapi-fetch; Octokit alone, with its retry, throttling and pagination
// plugins, and with every REST method); how each provider app's minified bytes split between
// openapi-fetch, the core, the generated metadata and the rest; what each app would weigh without one
// part of the runtime (pagination, waiters, option checks…) or without all of them; then each
// provider's generated metadata alone, split into its API-wide part and the bytes each operation adds,
// so the metadata's growth with the number of operations stays visible.
import { build } from "esbuild";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { appSize, BUNDLE_PARTS, OPTIONAL_PARTS, providerApps, referenceApps, SIZE_BUDGETS } from "./harness/app-size.mjs";
import { providerPackages, specsOf, workspacePackageDirs } from "./lib/provider-packages.mjs";

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
mkdirSync(path.join(repo, ".tmp"), { recursive: true });
const dir = mkdtempSync(path.join(repo, ".tmp/size-"));

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

const kB = (bytes) => (bytes / 1024).toFixed(1).padStart(6);

try {
  console.log("app                                     min      min+gz");
  const sizes = {};
  const partsOf = {};
  for (const [name, source] of Object.entries({ ...referenceApps, ...providerApps })) {
    const { minified, gzipped, parts } = await appSize(repo, source);
    sizes[name] = gzipped;
    if (name in providerApps) partsOf[name] = { minified, parts };
    console.log(`${name.padEnd(39)} ${kB(minified)} kB ${kB(gzipped)} kB`);
  }
  // Issue 17's targets: a single-provider app ≤ 10 kB min+gz, except that the whole Flashduty API
  // (350 operations) may take up to 15 kB.
  const limitOf = (name) => (name === "@o11ykit/flashduty" ? 15 : 10);
  const misses = Object.keys(providerApps)
    .filter((name) => sizes[name] / 1024 > limitOf(name))
    .map((name) => `${name} ${(sizes[name] / 1024).toFixed(1)} kB > ${limitOf(name)} kB`);
  const overBudget = Object.keys(providerApps).filter((name) => sizes[name] > SIZE_BUDGETS[name]);
  if (overBudget.length) process.exitCode = 1;
  // Where each provider app's bytes go: the part that a 10 kB target would have to shrink is the
  // runtime (openapi-fetch and the core), which every provider app carries whole, not the metadata.
  console.log(`\nminified bytes by part              ${BUNDLE_PARTS.map((part) => part.split(" ")[0].padStart(14)).join("")}`);
  for (const [name, { minified, parts }] of Object.entries(partsOf)) {
    const cells = BUNDLE_PARTS.map((part) => `${kB(parts[part] ?? 0)} kB ${String(Math.round((100 * (parts[part] ?? 0)) / minified)).padStart(2)}%`.padStart(14));
    console.log(`${name.padEnd(35)}${cells.join("")}`);
  }
  // What a 10 kB target would cost: each provider app gzipped without one part of the runtime, then
  // without all of them at once (gzip shares its dictionary across the file, so these are measured,
  // not subtracted).
  const optional = Object.entries(OPTIONAL_PARTS);
  console.log(`\nmin+gz without a part  ${[...optional.map(([part]) => part), "all of these"].map((part) => part.padStart(14)).join("")}`);
  for (const [name, source] of Object.entries(providerApps)) {
    const cells = [];
    for (const files of [...optional.map(([, file]) => [file]), optional.map(([, file]) => file)]) {
      const { gzipped } = await appSize(repo, source, { without: files });
      cells.push(`${kB(gzipped)} kB`.padStart(14));
    }
    console.log(`${name.split(" ")[0].padEnd(22)} ${cells.join("")}`);
  }
  // The metadata alone, per provider: what grows with the number of operations.
  console.log("\nruntime metadata                     ops   min+gz   API part   per operation");
  for (const { name, file } of metadataModules) {
    const { api, operations } = await import(file);
    const count = Object.keys(operations).length;
    const whole = await minifiedGzip(file);
    // What does not grow with the operations: the module with an empty operations table.
    writeFileSync(path.join(dir, "api-only.mjs"), `export const api = ${JSON.stringify(api)}; export const operations = {};`);
    const apiPart = await minifiedGzip(path.join(dir, "api-only.mjs"));
    console.log(`${name.padEnd(36)} ${String(count).padStart(4)} ${kB(whole)} kB ${kB(apiPart)} kB ${((whole - apiPart) / count).toFixed(1).padStart(10)} B`);
  }
  console.log(misses.length ? `\nissue 17's targets missed: ${misses.join("; ")}` : "\nissue 17's targets met: every single-provider app ≤ 10 kB min+gz, the full Flashduty API < 15 kB");
  console.log(
    overBudget.length
      ? `over the size budget that npm test enforces: ${overBudget.map((name) => `${name} > ${SIZE_BUDGETS[name] / 1024} kB`).join("; ")}`
      : `within the size budgets that npm test enforces (${Object.entries(SIZE_BUDGETS).map(([name, bytes]) => `${name.split(" ")[0]} ${bytes / 1024} kB`).join(", ")})`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
