#!/usr/bin/env node
// Generates a provider package's `src/generated/` folder from its spec:
//   schema.ts     openapi-typescript types (paths, components, operations)
//   metadata.ts   what the runtime needs from the spec's x-o11ykit-* extensions
//   methods.ts    every operation as a documented method (types only)
//   openapi.json  the bundled spec, shipped for mocks and tooling
//
// Run inside a provider package (its package.json names the spec under "o11ykit.spec", or several
// under "o11ykit.specs" — one generated subfolder each, e.g. a provider's two deployments), or from the
// repo root to do every provider package. `--check` writes nothing and fails if the output is stale.
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundleSpec, SpecError } from "./lib/bundle-spec.mjs";
import { extractMetadata } from "./lib/extract-metadata.mjs";
import { renderSchema, renderMetadata, renderMethods, renderBundledSpec } from "./lib/render.mjs";
import { replaceDirAtomically, diffDir } from "./lib/atomic-dir.mjs";
import { classifySpecChanges } from "./lib/spec-diff.mjs";
import { providerPackages, specsOf, workspacePackageDirs } from "./lib/provider-packages.mjs";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const check = process.argv.includes("--check");

/** The package run from, or from the repo root every provider package. */
async function packagesToGenerate() {
  const own = path.join(process.cwd(), "package.json");
  const isPackage = process.cwd() !== repoRoot && (await fs.stat(own).catch(() => null));
  return providerPackages(isPackage ? [process.cwd()] : await workspacePackageDirs(repoRoot));
}

/** A package that only ships bundled specs (the mock server): `{bundles: {name: path}}` → `src/generated/<name>.json`. */
async function generateBundles({ dir, pkg }) {
  const outDir = path.join(dir, "src", "generated");
  const files = {};
  for (const [name, spec] of Object.entries(pkg.o11ykit.bundles)) {
    files[`${name}.json`] = renderBundledSpec(await bundleSpec(path.resolve(dir, spec), { cwd: repoRoot }));
  }
  await writeOrCheck(outDir, files, `${Object.keys(files).length} bundled specs`);
}

async function writeOrCheck(outDir, files, what) {
  const label = path.relative(repoRoot, outDir);
  if (check) {
    const stale = await diffDir(outDir, files);
    if (stale.length) throw new SpecError(`${label} is stale (${stale.join(", ")}): run \`pnpm generate\` and commit the result.`);
    console.log(`${label}: up to date (${what})`);
  } else {
    await replaceDirAtomically(outDir, files);
    console.log(`${label}: generated (${what})`);
  }
}

async function generate({ name, specPath, outDir }) {
  const specLabel = path.relative(repoRoot, specPath);
  const doc = await bundleSpec(specPath, { cwd: repoRoot });
  const metadata = extractMetadata(doc, { name });
  const files = {
    "schema.ts": await renderSchema(doc, specLabel),
    "metadata.ts": renderMetadata(metadata, specLabel),
    "methods.ts": renderMethods(doc, metadata, specLabel),
    "openapi.json": renderBundledSpec(doc),
  };
  const label = path.relative(repoRoot, outDir);
  if (check) {
    const stale = await diffDir(outDir, files);
    if (stale.length) throw new SpecError(`${label} is stale (${stale.join(", ")}): run \`pnpm generate\` and commit the result.`);
    console.log(`${label}: up to date with ${specLabel}`);
  } else {
    const previous = await fs.readFile(path.join(outDir, "openapi.json"), "utf8").then(JSON.parse, () => undefined);
    await replaceDirAtomically(outDir, files);
    console.log(`${label}: generated from ${specLabel} (${Object.keys(metadata.operations).length} operations)`);
    if (previous) reportOperationChanges(previous, doc, metadata);
  }
}

/** Prints which operations a regeneration added, changed or removed (nothing when the spec is unchanged). */
function reportOperationChanges(previous, doc, metadata) {
  const before = new Set(Object.keys(extractMetadata(previous, { name: "previous" }).operations));
  const after = new Set(Object.keys(metadata.operations));
  const changes = classifySpecChanges(previous, doc);
  const added = [...after].filter((op) => !before.has(op));
  const removed = [...before].filter((op) => !after.has(op));
  const changed = [...new Set(changes.map((c) => c.operation).filter((op) => op && before.has(op) && after.has(op)))];
  for (const op of added) console.log(`  + ${op}`);
  for (const op of changed) console.log(`  ~ ${op}: ${changes.filter((c) => c.operation === op).map((c) => c.class).sort().filter((c, i, a) => a.indexOf(c) === i).join(", ")}`);
  for (const op of removed) console.log(`  - ${op}`);
}

try {
  const packages = await packagesToGenerate();
  if (packages.length === 0) throw new SpecError("no provider package found (a package.json with an \"o11ykit.spec\" field)");
  for (const p of packages) {
    if (p.pkg.o11ykit.bundles) await generateBundles(p);
    else for (const target of specsOf(p)) await generate(target);
  }
} catch (error) {
  console.error(error instanceof SpecError ? `generate: ${error.message}` : error);
  process.exitCode = 1;
}
