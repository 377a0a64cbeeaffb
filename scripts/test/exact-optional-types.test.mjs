// Users who compile with `exactOptionalPropertyTypes: true` can configure every client from the
// environment: fixtures/exact-optional/usage.ts passes `process.env.X` (string | undefined) to each
// string option and `undefined` to optional ones, and must type-check against the built declarations
// (library checking on) exactly as a consumer's project would; its @ts-expect-error lines keep it honest.
// TypeScript's own lib.*.d.ts files are not checked (skipDefaultLibCheck in the fixture's tsconfig):
// they are not ours, and lib.dom.d.ts alone is a fifth of a run's CPU.
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const tsc = path.resolve(here, "../../node_modules/.bin/tsc");

it("the factories' options accept process.env values under exactOptionalPropertyTypes", async () => {
  const result = await run(tsc, ["-p", path.join(here, "fixtures/exact-optional")], { timeout: 120_000 }).catch((error) => error);
  expect(`${result.stdout}${result.stderr}`).toBe("");
}, 120_000);
