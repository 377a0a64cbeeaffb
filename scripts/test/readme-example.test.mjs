// The README's "Testing your code" example is run as packages/mock-e2e/test/readme-example.test.ts;
// this keeps the two identical, so the documented example is always one that passes.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

it("the README's vitest example is the one the test suite runs", () => {
  const readme = fs.readFileSync(path.join(repo, "README.md"), "utf8");
  const block = readme.match(/```ts\n\/\/ datasources\.test\.ts — copy, paste, run with `npx vitest run`\n([\s\S]*?)```/);
  expect(block, "README example block").not.toBeNull();
  const test = fs.readFileSync(path.join(repo, "packages/mock-e2e/test/readme-example.test.ts"), "utf8");
  expect(test.split("\n").slice(1).join("\n")).toBe(block[1]);
});
