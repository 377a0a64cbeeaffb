// `pnpm spec:diff` on a scratch copy of the repository: a spec edit without a changeset fails with a
// message naming the package, the bump and the change; --write-changeset writes the changeset that
// makes it pass.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { keepPathsStartingWith } from "./lib/spec-subset.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let scratch;

const git = (...args) => execFileSync("git", args, { cwd: scratch, stdio: "pipe" });
const specDiff = (...args) => spawnSync(process.execPath, ["scripts/spec-diff.mjs", ...args], { cwd: scratch, encoding: "utf8" });

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "o11ykit-scratch-"));
  // The working tree's tracked files (not a clone, so uncommitted work is what gets tested).
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repo, encoding: "utf8" }).split("\0").filter(Boolean);
  for (const file of files) {
    if (!fs.existsSync(path.join(repo, file))) continue;
    // One provider package is enough to test the flow; the others (and the mock, which bundles every
    // spec) would only repeat the same diffs on far larger inputs.
    if (file.startsWith("packages/") && !file.startsWith("packages/flashduty/")) continue;
    fs.mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
    fs.copyFileSync(path.join(repo, file), path.join(scratch, file));
  }
  fs.symlinkSync(path.join(repo, "node_modules"), path.join(scratch, "node_modules"));
  // Of that package's spec, the data-source operations are enough (the edit below changes them): the
  // flow does not depend on the spec's size, and each spec:diff run bundles it twice (now and at main).
  const root = path.join(scratch, "specs/flashduty/openapi.yaml");
  fs.writeFileSync(root, keepPathsStartingWith(fs.readFileSync(root, "utf8"), "/monit/datasource/"));
  // Start with no pending changeset, as right after a release, so the edit below needs one.
  for (const file of fs.readdirSync(path.join(scratch, ".changeset"))) {
    if (file.endsWith(".md") && file !== "README.md") fs.rmSync(path.join(scratch, ".changeset", file));
  }
  git("init", "-q", "-b", "main");
  git("-c", "user.email=t@example.invalid", "-c", "user.name=t", "add", "-A");
  git("-c", "user.email=t@example.invalid", "-c", "user.name=t", "commit", "-q", "-m", "base");
}, 60_000);
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

it("fails a breaking spec edit without a changeset, then passes once --write-changeset wrote one", () => {
  const unchanged = specDiff();
  expect(unchanged.status).toBe(0);
  expect(unchanged.stdout).toMatch(/@o11ykit\/flashduty: specs unchanged since main/);

  const schemas = path.join(scratch, "specs/flashduty/resources/datasources.schemas.yaml");
  const before = fs.readFileSync(schemas, "utf8");
  const edited = before.replace(
    "DataSourceRef:\n  type: object\n  additionalProperties: false\n  required: [id]\n  properties:\n",
    "DataSourceRef:\n  type: object\n  additionalProperties: false\n  required: [id, confirm]\n  properties:\n    confirm:\n      type: boolean\n",
  );
  expect(edited, "the test's edit no longer applies to the spec").not.toBe(before);
  fs.writeFileSync(schemas, edited);

  const failing = specDiff();
  expect(failing.status).toBe(1);
  expect(failing.stdout).toMatch(/@o11ykit\/flashduty: \d+ spec change\(s\) since main:/);
  expect(failing.stdout).toMatch(/breaking POST \/monit\/datasource\/delete: Added required status to `confirm`/);
  expect(failing.stderr).toMatch(
    /spec:diff: @o11ykit\/flashduty needs a minor changeset for its spec changes, but none is pending \(@o11ykit\/flashduty is below 1\.0, where breaking changes are minor bumps/,
  );
  expect(failing.stderr).toContain("Run `pnpm spec:diff --write-changeset`");

  const writing = specDiff("--write-changeset");
  expect(writing.status).toBe(0);
  const written = fs.readdirSync(path.join(scratch, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md");
  const contents = written.map((f) => fs.readFileSync(path.join(scratch, ".changeset", f), "utf8")).join("\n");
  expect(contents).toMatch(/"@o11ykit\/flashduty": minor/);
  expect(contents).toMatch(/- breaking: POST \/monit\/datasource\/(delete|info): Added required status to `confirm`/);

  const passing = specDiff();
  expect(passing.status).toBe(0);
  expect(passing.stdout).toContain("covered by a pending minor changeset");

  // The first half of `pnpm release`: the changeset becomes a version and a changelog entry.
  const version = spawnSync(path.join(scratch, "node_modules/.bin/changeset"), ["version"], { cwd: scratch, encoding: "utf8" });
  expect(version.status, version.stderr).toBe(0);
  const pkg = JSON.parse(fs.readFileSync(path.join(scratch, "packages/flashduty/package.json"), "utf8"));
  expect(pkg.version).toBe("0.2.0");
  expect(fs.readFileSync(path.join(scratch, "packages/flashduty/CHANGELOG.md"), "utf8")).toMatch(/## 0\.2\.0[\s\S]*### Minor Changes[\s\S]*Added required status to `confirm`/);
}, 120_000);
