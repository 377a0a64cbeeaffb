// Which workspace packages are generated from specs, and where each spec's output goes. Read from
// each package.json's "o11ykit" field: `spec` (one spec), `specs` ({variant: path}, a generated
// subfolder each) or `bundles` (the mock server: bundled specs only).
import fs from "node:fs/promises";
import path from "node:path";

/** The packages among `dirs` whose package.json has an "o11ykit" spec field, with that package.json. */
export async function providerPackages(dirs) {
  const found = [];
  for (const dir of dirs) {
    const pkg = JSON.parse(await fs.readFile(path.join(dir, "package.json"), "utf8").catch(() => "{}"));
    if (pkg.o11ykit?.spec || pkg.o11ykit?.specs || pkg.o11ykit?.bundles) found.push({ dir, pkg });
  }
  return found;
}

/** Every package directory under the repo's packages/. */
export async function workspacePackageDirs(repoRoot) {
  return (await fs.readdir(path.join(repoRoot, "packages"))).map((d) => path.join(repoRoot, "packages", d));
}

/** A client package's specs: `{spec}` → one output folder; `{specs: {name: path}}` → a subfolder per name. */
export function specsOf({ dir, pkg }) {
  const base = path.join(dir, "src", "generated");
  if (pkg.o11ykit.spec) return [{ name: pkg.o11ykit.provider, specPath: path.resolve(dir, pkg.o11ykit.spec), outDir: base }];
  return Object.entries(pkg.o11ykit.specs).map(([variant, spec]) => ({
    name: `${pkg.o11ykit.provider}-${variant}`,
    specPath: path.resolve(dir, spec),
    outDir: path.join(base, variant),
  }));
}
