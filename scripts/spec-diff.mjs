#!/usr/bin/env node
// `pnpm spec:diff [--base REF] [--write-changeset]`: compares every provider package's spec(s) with
// their state at a git ref (default: the package's last release tag, else `main`), prints each change
// classed as breaking, feature or fix, and fails when a package's specs changed without a pending
// changeset that bumps it enough. `--write-changeset` writes the missing changesets (@changesets/write).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import readChangesets from "@changesets/read";
import writeChangeset from "@changesets/write";
import { bundleSpec } from "./lib/bundle-spec.mjs";
import { bumpCovers, classifySpecChanges, requiredBump } from "./lib/spec-diff.mjs";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const baseArg = args.includes("--base") ? args[args.indexOf("--base") + 1] : undefined;
const write = args.includes("--write-changeset");
if (args.includes("--base") && !baseArg) {
  console.error("spec:diff: --base needs a git ref, e.g. --base main or --base @o11ykit/flashduty@0.1.0");
  process.exit(2);
}

const git = (...a) => execFileSync("git", a, { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
const refExists = (ref) => {
  try {
    git("rev-parse", "--verify", "--quiet", `${ref}^{commit}`);
    return true;
  } catch {
    return false;
  }
};

function baseFor(pkgName) {
  if (baseArg) return baseArg;
  const tags = git("tag", "--list", `${pkgName}@*`, "--sort=-v:refname").split("\n").filter(Boolean);
  if (tags[0]) return tags[0];
  return refExists("main") ? "main" : "HEAD";
}

/** The repo's specs/ folder as it was at `ref`, extracted once into a scratch folder. */
const snapshots = new Map();
function specsAt(ref) {
  if (!snapshots.has(ref)) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "o11ykit-spec-diff-"));
    try {
      const tar = execFileSync("git", ["archive", "--format=tar", ref, "specs"], { cwd: repoRoot, maxBuffer: 1 << 28 });
      execFileSync("tar", ["-x", "-C", dir], { input: tar });
    } catch {
      // No specs at that ref: everything is new.
    }
    snapshots.set(ref, dir);
  }
  return snapshots.get(ref);
}

/** Every file under a folder (relative path → contents), to tell whether two specs/ trees are identical. */
function filesUnder(dir) {
  const files = new Map();
  if (!fs.existsSync(dir)) return files;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath ?? entry.path, entry.name);
    files.set(path.relative(dir, full), fs.readFileSync(full));
  }
  return files;
}

/**
 * Whether specs/ at `ref` is byte for byte the working tree's: then no package's specs changed, and
 * bundling each of them twice (seconds of CPU each, on every `npm test`) would only confirm it.
 */
const unchangedAt = new Map();
function specsUnchangedSince(ref) {
  if (!unchangedAt.has(ref)) {
    const before = filesUnder(path.join(specsAt(ref), "specs"));
    const now = filesUnder(path.join(repoRoot, "specs"));
    unchangedAt.set(ref, before.size === now.size && [...now].every(([file, bytes]) => before.get(file)?.equals(bytes)));
  }
  return unchangedAt.get(ref);
}

function packageSpecs(dir, pkg) {
  const o = pkg.o11ykit ?? {};
  const entries = o.spec ? [o.spec] : Object.values(o.specs ?? o.bundles ?? {});
  return entries.map((p) => path.relative(repoRoot, path.resolve(dir, p)));
}

async function bundleOrEmpty(file) {
  return fs.existsSync(file) ? bundleSpec(file, { cwd: repoRoot }) : { openapi: "3.1.0", info: { title: "", version: "0" }, paths: {} };
}

const pending = await readChangesets(repoRoot);
const declared = (name) => {
  const order = ["patch", "minor", "major"];
  const types = pending.flatMap((c) => c.releases.filter((r) => r.name === name).map((r) => r.type));
  return types.sort((a, b) => order.indexOf(b) - order.indexOf(a))[0];
};

let failed = false;
const missing = [];
for (const name of fs.readdirSync(path.join(repoRoot, "packages")).sort()) {
  const dir = path.join(repoRoot, "packages", name);
  const pkgFile = path.join(dir, "package.json");
  if (!fs.existsSync(pkgFile)) continue;
  const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8"));
  const specs = packageSpecs(dir, pkg);
  if (pkg.private || specs.length === 0) continue;

  const base = baseFor(pkg.name);
  if (specsUnchangedSince(base)) {
    console.log(`${pkg.name}: specs unchanged since ${base}`);
    continue;
  }
  const changes = [];
  for (const spec of specs) {
    const before = await bundleOrEmpty(path.join(specsAt(base), spec));
    const after = await bundleOrEmpty(path.join(repoRoot, spec));
    for (const change of classifySpecChanges(before, after)) changes.push({ ...change, spec });
  }
  const required = requiredBump(changes, pkg.version);
  if (required === "none") {
    console.log(`${pkg.name}: specs unchanged since ${base}`);
    continue;
  }
  console.log(`${pkg.name}: ${changes.length} spec change(s) since ${base}:`);
  for (const c of changes) console.log(`  ${c.class.padEnd(8)} ${c.operation ? `${c.operation}: ` : ""}${c.description}`);
  const has = declared(pkg.name);
  if (bumpCovers(has, required)) {
    console.log(`  covered by a pending ${has} changeset`);
    continue;
  }
  missing.push({ pkg, required, changes, has });
}

for (const { pkg, required, changes, has } of missing) {
  const why =
    Number(pkg.version.split(".")[0]) < 1
      ? `${pkg.name} is below 1.0, where breaking changes are minor bumps and features and fixes are patches`
      : "breaking changes are major bumps, features minor, fixes patch";
  if (write) {
    const byClass = (k) => changes.filter((c) => c.class === k).map((c) => `- ${k}: ${c.operation ? `${c.operation}: ` : ""}${c.description}`);
    const summary = [`Spec changes in ${pkg.name}:`, "", ...byClass("breaking"), ...byClass("feature"), ...byClass("fix")].join("\n");
    const id = await writeChangeset({ summary, releases: [{ name: pkg.name, type: required }] }, repoRoot);
    console.log(`${pkg.name}: wrote .changeset/${id}.md (${required})`);
    continue;
  }
  failed = true;
  const worst = changes.find((c) => c.class === "breaking") ?? changes.find((c) => c.class === "feature") ?? changes[0];
  console.error(
    `\nspec:diff: ${pkg.name} needs a ${required} changeset for its spec changes, but ${has ? `the pending one is only ${has}` : "none is pending"} ` +
      `(${why}). It is required by: ${worst.class} ${worst.operation ? `${worst.operation}: ` : ""}${worst.description}` +
      `${changes.length > 1 ? ` and ${changes.length - 1} more change(s) listed above` : ""}. ` +
      "Run `pnpm spec:diff --write-changeset` to write it, or `pnpm changeset`.",
  );
}
for (const dir of snapshots.values()) fs.rmSync(dir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
