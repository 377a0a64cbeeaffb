// What users ship stays within budget: an app that makes one call through a provider client, bundled
// and minified as a user's bundler would, may not outgrow its min+gzip budget (scripts/harness/app-size.mjs),
// so a change that bloats the runtime or the generated metadata fails here rather than going unnoticed.
// `pnpm bench:size` prints the same sizes beside reference clients.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { appSize, OPTIONAL_PARTS, providerApps, SIZE_BUDGETS } from "../harness/app-size.mjs";
import { providerPackages, workspacePackageDirs } from "../lib/provider-packages.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("bundle size", () => {
  it("measures every client package, each against a budget", async () => {
    const clients = (await providerPackages(await workspacePackageDirs(repo))).filter(({ pkg }) => !pkg.o11ykit.bundles).map(({ pkg }) => pkg.name);
    expect(clients.length).toBeGreaterThanOrEqual(3);
    for (const name of clients) expect(Object.values(providerApps).some((source) => source.includes(`from "${name}"`)), `no app in providerApps imports ${name}`).toBe(true);
    expect(Object.keys(SIZE_BUDGETS).sort()).toEqual(Object.keys(providerApps).sort());
  });

  it.each(Object.entries(providerApps))("%s: a one-call app stays within its min+gzip budget", async (name, source) => {
    const { minified, gzipped } = await appSize(repo, source);
    // Sanity: the bundle holds the client (a few kB would mean the import resolved to nothing).
    expect(minified).toBeGreaterThan(20 * 1024);
    expect(gzipped, `${name} bundles to ${(gzipped / 1024).toFixed(1)} kB min+gzip, over its ${SIZE_BUDGETS[name] / 1024} kB budget`).toBeLessThanOrEqual(SIZE_BUDGETS[name]);
  });

  // bench:size weighs each app without these files; a file renamed or no longer bundled would make
  // that "without" weigh the whole app and say nothing.
  it.each(Object.entries(OPTIONAL_PARTS))("the app without %s (bench:size's what-if) is smaller than the app", async (_part, file) => {
    const source = Object.values(providerApps)[0];
    const whole = await appSize(repo, source);
    const without = await appSize(repo, source, { without: [file] });
    expect(without.minified).toBeLessThan(whole.minified - 500);
  });
});
