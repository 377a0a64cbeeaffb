/**
 * The README's snippets type-check as written (`tsc --strict`) against the built packages: those of
 * "Using a client", so the documented calls (paths, methods, options) stay ones that compile, and those
 * of "Testing your code", `inject("o11ykitMocks")` among them, whose runnable ones are the test files
 * beside this one, verbatim. And @o11ykit/mock's types load under the old `moduleResolution: node10` too.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.resolve(here, "..");
const readme = fs.readFileSync(path.resolve(pkg, "../../README.md"), "utf8");
const tsc = path.join(pkg, "node_modules/typescript/bin/tsc");
// Inside the package (in its git-ignored .tmp), so its node_modules (the workspace's @o11ykit packages, vitest) resolve.
fs.mkdirSync(path.join(pkg, ".tmp"), { recursive: true });
const work = fs.mkdtempSync(path.join(pkg, ".tmp", "readme-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** One `## ` section of the README, up to the next. */
function section(heading: string): string {
  const start = readme.indexOf(`## ${heading}`);
  const end = readme.indexOf("\n## ", start + 1);
  expect(start, heading).toBeGreaterThan(-1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** The ```ts blocks of some README text. */
function tsBlocks(text: string): string[] {
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** What the snippets of a "Using a client" subsection use from the ones before it, declared. */
const PRELUDES: Record<string, string> = {
  Flashduty: `declare const fd: import("@o11ykit/flashduty").FlashdutyClient;\ndeclare const appKey: string;`,
  "Grafana Cloud": `declare const gc: import("@o11ykit/grafana-cloud").GrafanaCloudClient;`,
  ClickStack: `declare const errorsTile: import("@o11ykit/clickstack").TileInput;`,
};

/**
 * "Using a client" as one source file per provider subsection: snippets of one provider build on each
 * other (`fd`, `gc`, `errorsTile`), so each runs in its own block scope after a prelude that declares
 * what the earlier ones defined; imports are hoisted, and a snippet indented in a list item is dedented.
 */
function usingSnippetFiles(): { file: string; text: string }[] {
  return section("Using a client")
    .split(/\n### /)
    .slice(1)
    .map((part) => ({ title: part.split("\n")[0]!.trim(), blocks: tsBlocks(part) }))
    .filter(({ blocks }) => blocks.length > 0)
    .map(({ title, blocks }) => {
      const imports = new Set<string>();
      const bodies = blocks.map((block) => {
        const indent = Math.min(...block.split("\n").filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
        const lines = block.split("\n").map((l) => l.slice(indent));
        for (const line of lines) if (line.startsWith("import ")) imports.add(line);
        return `{\n${lines.filter((l) => !l.startsWith("import ")).join("\n")}\n}`;
      });
      return { file: `using-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.ts`, text: [PRELUDES[title] ?? "", ...imports, "export {};", ...bodies].join("\n") };
    });
}
const USING_FILES = usingSnippetFiles();

function testingSnippets(): string[] {
  return tsBlocks(section("Testing your code"));
}

async function typecheck(dir: string, compilerOptions: Record<string, unknown>, files: string[]): Promise<string> {
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
  // The snippets are checked against our declarations, not the declarations themselves (skipLibCheck):
  // scripts/test/registry-roundtrip.test.mjs checks the published ones strictly, under NodeNext;
  // checking them here again was a third of a run's CPU.
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, target: "ES2022", lib: ["ES2023", "DOM"], types: ["node"], ...compilerOptions }, files }),
  );
  try {
    await run(process.execPath, [tsc, "-p", dir], { cwd: dir });
    return "";
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

/**
 * tsc's report split by file: a diagnostic starts at an unindented line (`file(line,col): error …`, or
 * `error …` for one that belongs to no file) and goes on over the indented lines after it.
 */
function diagnosticsByFile(output: string): { file: string; text: string }[] {
  const diagnostics: { file: string; text: string }[] = [];
  for (const line of output.split("\n")) {
    if (line.trim() === "") continue;
    if (/^\s/.test(line) && diagnostics.length > 0) diagnostics[diagnostics.length - 1]!.text += `\n${line}`;
    else diagnostics.push({ file: /^(.+?)\(\d+,\d+\)/.exec(line)?.[1] ?? "", text: line });
  }
  return diagnostics;
}

// The negative check's file: it must fail to compile, for the reason the test below names.
const BAD_INJECT = "bad-inject.ts";

/**
 * Both sections' snippets and the negative `inject` file are checked in one `tsc` run: they take the
 * same compiler options, and most of a run goes to reading the libraries' declarations, so one program
 * of all of them costs about what one section alone does. Each test then reads only the diagnostics of
 * its own files. Started by whichever test needs it first.
 */
let nodenextRun: Promise<{ file: string; text: string }[]> | undefined;
function nodenextDiagnostics(): Promise<{ file: string; text: string }[]> {
  nodenextRun ??= (async () => {
    const dir = fs.mkdtempSync(path.join(work, "nodenext-"));
    const files = testingSnippets().map((snippet, i) => {
      const file = `snippet-${i}.ts`;
      fs.writeFileSync(path.join(dir, file), snippet);
      return file;
    });
    for (const { file, text } of USING_FILES) fs.writeFileSync(path.join(dir, file), text);
    fs.writeFileSync(path.join(dir, BAD_INJECT), 'import { inject } from "vitest";\nimport "@o11ykit/mock";\nexport const url: string = inject("o11ykitMocks").datadog!;\n');
    return diagnosticsByFile(await typecheck(dir, { module: "NodeNext", moduleResolution: "NodeNext" }, [...files, ...USING_FILES.map((f) => f.file), BAD_INJECT]));
  })();
  return nodenextRun;
}

const isUsingFile = (file: string) => USING_FILES.some((f) => f.file === file);

it("every ```ts block of the README's Using a client section compiles with tsc --strict", async () => {
  expect(USING_FILES.length).toBeGreaterThanOrEqual(3);
  const diagnostics = await nodenextDiagnostics();
  expect(diagnostics.filter((d) => isUsingFile(d.file)).map((d) => d.text).join("\n"), "README snippets that do not type-check").toBe("");
}, 120_000);

it("every ```ts block of the README's Testing section compiles with tsc --strict", async () => {
  const snippets = testingSnippets();
  expect(snippets.length).toBeGreaterThanOrEqual(3);
  expect(snippets.some((s) => s.includes('inject("o11ykitMocks")'))).toBe(true);
  const diagnostics = await nodenextDiagnostics();
  expect(diagnostics.filter((d) => d.file !== BAD_INJECT && !isUsingFile(d.file)).map((d) => d.text).join("\n")).toBe("");
}, 120_000);

it("the runnable snippets are this package's tests, verbatim", () => {
  const [first, stateful] = testingSnippets();
  expect(fs.readFileSync(path.join(here, "readme-example.test.ts"), "utf8")).toContain(first!.trim());
  expect(fs.readFileSync(path.join(here, "readme-stateful.test.ts"), "utf8")).toContain(stateful!.trim());
});

it("an `inject` of a key the mock does not provide is a type error (the check above is not vacuous)", async () => {
  const diagnostics = await nodenextDiagnostics();
  expect(diagnostics.filter((d) => d.file === BAD_INJECT).map((d) => d.text).join("\n")).toMatch(/Property 'datadog' does not exist/);
}, 120_000);

it("@o11ykit/mock's types load under moduleResolution node10, the global setups' subpaths included", async () => {
  const dir = fs.mkdtempSync(path.join(work, "node10-"));
  fs.writeFileSync(
    path.join(dir, "usage.ts"),
    [
      'import { startMock, mockControl, type Mock, type MockClientOptions } from "@o11ykit/mock";',
      'import setup, { providersFromEnv } from "@o11ykit/mock/vitest-global-setup";',
      'import setupSharedPrism from "@o11ykit/mock/vitest-shared-prism";',
      "export async function demo(): Promise<MockClientOptions> {",
      '  const mock: Mock = await startMock("flashduty", { stateful: true });',
      "  await mockControl(mock.url).reset();",
      "  void setup; void providersFromEnv; void setupSharedPrism;",
      "  return mock.clientOptions();",
      "}",
      "",
    ].join("\n"),
  );
  expect(await typecheck(dir, { module: "ESNext", moduleResolution: "node10", ignoreDeprecations: "5.0" }, ["usage.ts"])).toBe("");
}, 120_000);
