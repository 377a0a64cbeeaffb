/**
 * What a user's compiler says about a wrong call, checked with the TypeScript compiler the package
 * builds with. `@ts-expect-error` (types.test-d.ts) only proves that some error is reported; these
 * tests read the error itself. Flashduty is the API with the most paths, where a mistyped path used to
 * end in "type instantiation is excessively deep" after seconds of checking, without naming the path.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, expect, it } from "vitest";

const pkg = fileURLToPath(new URL("..", import.meta.url));
// Inside the package (its git-ignored .tmp), so `../../src/index.js` and the package's types resolve.
fs.mkdirSync(path.join(pkg, ".tmp"), { recursive: true });
const work = fs.mkdtempSync(path.join(pkg, ".tmp", "type-errors-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** What every compiled file starts with: `fd`, a client. */
const PRELUDE = ['import { createFlashdutyClient } from "../../src/index.js";', 'const fd = createFlashdutyClient({ appKey: "k" });'];

/** Compiles `source` after the prelude as a file of the package's test project; its diagnostics, by line of `source` (1-based). */
function diagnosticsOf(source: string): Array<{ line: number; code: number; message: string }> {
  const file = path.join(work, "calls.ts");
  fs.writeFileSync(file, [...PRELUDE, source].join("\n"));
  const { config } = ts.readConfigFile(path.join(pkg, "tsconfig.json"), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, pkg);
  const program = ts.createProgram([file], { ...options, noEmit: true });
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => ({
      line: d.file!.getLineAndCharacterOfPosition(d.start!).line + 1 - PRELUDE.length,
      code: d.code,
      message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
    }));
}

it("a mistyped path is one error that names it; the init of a real path is still checked field by field", () => {
  const diagnostics = diagnosticsOf(
    [
      `void fd.POST("/monit/datasource/rename", { body: {} });`,
      `void fd.POST("/monit/datasource/info", { body: { id: 1 } });`,
      `void fd.POST("/monit/datasource/info", { body: { idx: 1 } });`,
      `declare const either: "/monit/datasource/info" | "/monit/datasource/delete";`,
      `void fd.POST(either, { body: { id: 1 } });`,
      `void fd.paginate("/incident/lisst", { body: {} });`,
    ].join("\n"),
  );
  expect(diagnostics.map(({ line, code }) => [line, code])).toEqual([
    [1, 2345],
    [3, 2353],
    [6, 2345],
  ]);
  expect(diagnostics[0]!.message).toMatch(/^Argument of type '"\/monit\/datasource\/rename"' is not assignable to parameter of type/);
  expect(diagnostics[1]!.message).toMatch(/'idx' does not exist in type/);
  expect(diagnostics[2]!.message).toMatch(/^Argument of type '"\/incident\/lisst"' is not assignable to parameter of type '"\/incident\/list" \|/);
}, 120_000); // one compile of the client's types: seconds, more on a loaded machine
