// Every TypeScript snippet of the README's "Using a client" section type-checks against the built
// packages, strictly, so the documented calls (paths, methods, options) stay ones that compile.
// Snippets of one provider build on each other (`fd`, `gc`, `errorsTile`): each runs in its own block
// scope after a prelude that declares what the earlier ones defined; imports are hoisted.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// A workspace package that depends on every client, so the imports resolve as a user's would.
const dir = path.join(repo, "packages/fault-suite/.readme-snippets");

const PRELUDES = {
  Flashduty: `declare const fd: import("@o11ykit/flashduty").FlashdutyClient;\ndeclare const appKey: string;`,
  "Grafana Cloud": `declare const gc: import("@o11ykit/grafana-cloud").GrafanaCloudClient;`,
  ClickStack: `declare const errorsTile: import("@o11ykit/clickstack").TileInput;`,
};

function sections(readme) {
  const usage = readme.slice(readme.indexOf("## Using a client"), readme.indexOf("\n## ", readme.indexOf("## Using a client") + 5));
  return usage.split(/\n### /).slice(1).map((part) => ({ title: part.split("\n")[0].trim(), blocks: [...part.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]) }));
}

it("the README's client snippets type-check", () => {
  const readme = fs.readFileSync(path.join(repo, "README.md"), "utf8");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const files = [];
  try {
    for (const { title, blocks } of sections(readme)) {
      if (blocks.length === 0) continue;
      const imports = new Set();
      const bodies = blocks.map((block) => {
        // A snippet indented inside a list item is dedented first.
        const indent = Math.min(...block.split("\n").filter((l) => l.trim()).map((l) => l.match(/^ */)[0].length));
        const lines = block.split("\n").map((l) => l.slice(indent));
        for (const line of lines) if (line.startsWith("import ")) imports.add(line);
        return `{\n${lines.filter((l) => !l.startsWith("import ")).join("\n")}\n}`;
      });
      const file = path.join(dir, `${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.ts`);
      fs.writeFileSync(file, [PRELUDES[title] ?? "", ...imports, "export {};", ...bodies].join("\n"));
      files.push(path.basename(file));
    }
    expect(files.length).toBeGreaterThanOrEqual(3);
    // The snippets are checked against our declarations, not the declarations themselves
    // (skipLibCheck): registry-roundtrip.test.mjs checks the published ones strictly, under these
    // same options; checking them here again was a third of this run's CPU.
    fs.writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: "es2022", module: "nodenext", moduleResolution: "nodenext", types: ["node"], skipLibCheck: true }, files }),
    );
    const tsc = path.join(repo, "node_modules/.bin/tsc");
    let output = "";
    try {
      execFileSync(tsc, ["-p", dir], { encoding: "utf8", stdio: "pipe" });
    } catch (error) {
      output = `${error.stdout}${error.stderr}`;
    }
    expect(output, "README snippets that do not type-check").toBe("");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
