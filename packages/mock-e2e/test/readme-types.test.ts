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
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, target: "ES2022", lib: ["ES2023", "DOM"], types: ["node"], ...compilerOptions }, files }),
  );
  try {
    await run(process.execPath, [tsc, "-p", dir], { cwd: dir });
    return "";
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

it("every ```ts block of the README's Testing section compiles with tsc --strict", async () => {
  const snippets = testingSnippets();
  expect(snippets.length).toBeGreaterThanOrEqual(3);
  expect(snippets.some((s) => s.includes('inject("o11ykitMocks")'))).toBe(true);
  const dir = fs.mkdtempSync(path.join(work, "nodenext-"));
  const files = snippets.map((snippet, i) => {
    const file = `snippet-${i}.ts`;
    fs.writeFileSync(path.join(dir, file), snippet);
    return file;
  });
  expect(await typecheck(dir, { module: "NodeNext", moduleResolution: "NodeNext" }, files)).toBe("");
}, 120_000);

it("the runnable snippets are this package's tests, verbatim", () => {
  const [first, stateful] = testingSnippets();
  expect(fs.readFileSync(path.join(here, "readme-example.test.ts"), "utf8")).toContain(first!.trim());
  expect(fs.readFileSync(path.join(here, "readme-stateful.test.ts"), "utf8")).toContain(stateful!.trim());
});

it("an `inject` of a key the mock does not provide is a type error (the check above is not vacuous)", async () => {
  const dir = fs.mkdtempSync(path.join(work, "negative-"));
  fs.writeFileSync(path.join(dir, "bad.ts"), 'import { inject } from "vitest";\nimport "@o11ykit/mock";\nexport const url: string = inject("o11ykitMocks").datadog!;\n');
  expect(await typecheck(dir, { module: "NodeNext", moduleResolution: "NodeNext" }, ["bad.ts"])).toMatch(/Property 'datadog' does not exist/);
}, 120_000);

it("@o11ykit/mock's types load under moduleResolution node10, the global setup's subpath included", async () => {
  const dir = fs.mkdtempSync(path.join(work, "node10-"));
  fs.writeFileSync(
    path.join(dir, "usage.ts"),
    [
      'import { startMock, mockControl, type Mock, type MockClientOptions } from "@o11ykit/mock";',
      'import setup, { providersFromEnv } from "@o11ykit/mock/vitest-global-setup";',
      "export async function demo(): Promise<MockClientOptions> {",
      '  const mock: Mock = await startMock("flashduty", { stateful: true });',
      "  await mockControl(mock.url).reset();",
      "  void setup; void providersFromEnv;",
      "  return mock.clientOptions();",
      "}",
      "",
    ].join("\n"),
  );
  expect(await typecheck(dir, { module: "ESNext", moduleResolution: "node10", ignoreDeprecations: "5.0" }, ["usage.ts"])).toBe("");
}, 120_000);
