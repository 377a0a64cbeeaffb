// What a registry user gets: every published package's tarball (as `pnpm pack` builds it for
// `changeset publish`) carries its README, the MIT LICENSE and a CHANGELOG.md, and the README's links
// work on the registry's page, where a relative link such as `../../README.md` leads nowhere. Links into
// this repository must name a file that exists or a heading the root README has.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const REPO_URL = "https://github.com/o11ykit/o11ykit";
const rootLicense = fs.readFileSync(path.join(repo, "LICENSE"), "utf8");

const published = fs
  .readdirSync(path.join(repo, "packages"))
  .map((dir) => ({ dir: path.join(repo, "packages", dir), manifest: JSON.parse(fs.readFileSync(path.join(repo, "packages", dir, "package.json"), "utf8")) }))
  .filter(({ manifest }) => !manifest.private);

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
const rootAnchors = new Set([
  "readme",
  ...[...fs.readFileSync(path.join(repo, "README.md"), "utf8").matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1])),
]);

/** Every link target in a Markdown file: inline links and images, reference definitions, HTML href/src. */
function linkTargets(markdown) {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, "");
  return [
    ...[...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)/g)].map((m) => m[1]),
    ...[...prose.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(\s|$)/gm)].map((m) => m[1]),
    ...[...prose.matchAll(/\b(?:href|src)\s*=\s*["']([^"']+)["']/g)].map((m) => m[1]),
  ];
}

/** Why a README link would not work on the registry's page, or undefined when it does. */
function brokenLink(target) {
  if (/^mailto:/.test(target)) return undefined;
  if (!/^https?:\/\//.test(target)) return "is relative: the registry's page has no files beside it; link to " + REPO_URL + "/…";
  if (!target.startsWith(REPO_URL)) return undefined;
  const rest = target.slice(REPO_URL.length);
  const anchor = rest.match(/^\/?#(.+)$/);
  if (anchor) return rootAnchors.has(anchor[1]) ? undefined : `names no heading of the root README (#${anchor[1]})`;
  const file = rest.match(/^\/(?:blob|tree)\/main\/([^#?]+)/);
  if (file) return fs.existsSync(path.join(repo, decodeURIComponent(file[1]))) ? undefined : `names a path the repository lacks (${file[1]})`;
  return rest === "" ? undefined : "is a repository URL this test cannot check";
}

it("the root LICENSE is MIT, held by the o11ykit contributors", () => {
  expect(rootLicense).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} o11ykit contributors\n/);
});

/**
 * Every published package's packed file list, from one `pnpm pack --dry-run` over all of them (it packs
 * each exactly as `pnpm pack` in its folder does; one pnpm start instead of one per package). Started by
 * the first test that needs it.
 */
let packing;
function packedFiles() {
  const filters = published.flatMap(({ manifest }) => ["--filter", manifest.name]);
  packing ??= run("pnpm", [...filters, "--recursive", "pack", "--dry-run", "--json"], { cwd: repo, timeout: 60_000 }).then(({ stdout }) => {
    const packs = [JSON.parse(stdout)].flat(); // one object when a single package is packed
    return new Map(packs.map((pack) => [pack.name, pack.files.map((f) => f.path)]));
  });
  return packing;
}

describe.each(published.map(({ dir, manifest }) => [manifest.name, dir, manifest]))("%s", (name, dir, manifest) => {
  it("packs README.md, LICENSE and CHANGELOG.md", async () => {
    const files = (await packedFiles()).get(name);
    expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "LICENSE", "CHANGELOG.md"]));
  }, 60_000);

  it("is MIT licensed with the root's LICENSE text", () => {
    expect(manifest.license).toBe("MIT");
    expect(fs.readFileSync(path.join(dir, "LICENSE"), "utf8")).toBe(rootLicense);
  });

  it("has a CHANGELOG.md that changesets can prepend to (its first line is the package's title)", () => {
    expect(fs.readFileSync(path.join(dir, "CHANGELOG.md"), "utf8").split("\n")[0]).toBe(`# ${name}`);
  });

  it("its README links work on the registry's page", () => {
    const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8");
    expect(manifest.repository.url).toBe(`git+${REPO_URL}.git`);
    const broken = linkTargets(readme).flatMap((target) => {
      const why = brokenLink(target);
      return why ? [`${target} ${why}`] : [];
    });
    expect(broken).toEqual([]);
  });
});
