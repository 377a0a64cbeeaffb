/**
 * The README's "Testing your code" snippets type-check as written (`tsc --strict`, library types
 * included), `inject("o11ykitMocks")` among them; the runnable ones are the test files beside this one,
 * verbatim; and @o11ykit/mock's types load under the old `moduleResolution: node10` too.
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

function testingSnippets(): string[] {
  const start = readme.indexOf("## Testing your code");
  const end = readme.indexOf("\n## ", start + 1);
  expect(start).toBeGreaterThan(-1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
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
 * The README's snippets and the negative `inject` file are checked in one `tsc` run: they take the same
 * compiler options, and most of a run goes to reading the libraries' declarations, so one program of
 * both costs about what the snippets alone do. Each test then reads only the
 * diagnostics of its own files. Started by whichever test needs it first.
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
    fs.writeFileSync(path.join(dir, BAD_INJECT), 'import { inject } from "vitest";\nimport "@o11ykit/mock";\nexport const url: string = inject("o11ykitMocks").datadog!;\n');
    return diagnosticsByFile(await typecheck(dir, { module: "NodeNext", moduleResolution: "NodeNext" }, [...files, BAD_INJECT]));
  })();
  return nodenextRun;
}

it("every ```ts block of the README's Testing section compiles with tsc --strict", async () => {
  const snippets = testingSnippets();
  expect(snippets.length).toBeGreaterThanOrEqual(3);
  expect(snippets.some((s) => s.includes('inject("o11ykitMocks")'))).toBe(true);
  const diagnostics = await nodenextDiagnostics();
  expect(diagnostics.filter((d) => d.file !== BAD_INJECT).map((d) => d.text).join("\n")).toBe("");
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
