// prism-preload.cjs hands Prism the decycle of prism-decycle.cjs in place of @stoplight/json's: it must
// return the same document for every spec this package ships, and for cyclic ones, and it must still
// reach the Prism files that decycle a spec (an upgraded Prism that moved them would quietly lose it).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MOCK_PROVIDERS, specPath } from "../src/providers.js";

type Json = { decycle(value: unknown, replacer?: (value: unknown) => unknown): unknown; isPlainObject(value: unknown): boolean; pathToPointer(path: string[]): string };
type Decycle = (value: unknown, replacer: ((value: unknown) => unknown) | undefined, json: Json) => unknown;

const require = createRequire(import.meta.url);
const PRELOAD = fileURLToPath(new URL("../prism-preload.cjs", import.meta.url));
const { decycle } = require("../prism-decycle.cjs") as { decycle: Decycle };

// The Prism files that decycle a whole spec, and the @stoplight/json and ref parser they use, as
// Prism's own dependency tree resolves them.
const fromCli = createRequire(require.resolve("@stoplight/prism-cli/package.json"));
const fromHttp = createRequire(fromCli.resolve("@stoplight/prism-http/package.json"));
const decyclingFiles = [fromCli.resolve("@stoplight/prism-cli/dist/extensions.js"), fromHttp.resolve("@stoplight/prism-http/dist/utils/operations.js")];
const json = fromHttp("@stoplight/json") as Json;
const RefParser = fromHttp("@stoplight/json-schema-ref-parser") as new () => { dereference(path: string): Promise<unknown> };

describe("the decycle Prism is given (prism-decycle.cjs)", () => {
  it.each(MOCK_PROVIDERS)("returns @stoplight/json's document for the %s spec, dereferenced as Prism reads it", async (provider) => {
    const dereferenced = await new RefParser().dereference(specPath(provider));
    const theirs = JSON.stringify(json.decycle(dereferenced));
    expect(JSON.stringify(decycle(dereferenced, undefined, json))).toBe(theirs);
  });

  it("returns @stoplight/json's document for cyclic ones: an object inside itself becomes a $ref to it", () => {
    const shared = { type: "string", "odd/key~": { x: 1 } };
    const node: Record<string, unknown> = { name: "node", meta: shared, "we ird/key~0": { shared } };
    node["children"] = [node, { parent: node, list: [shared, shared] }];
    (node["we ird/key~0"] as Record<string, unknown>)["self"] = node["we ird/key~0"];
    // `sparse` has a hole, which both keep as a hole.
    const root = { paths: { "/x/{id}": node }, again: node, nested: [[node]], sparse: [1, , 3], text: "t", count: 1, none: null };
    const marked = (value: unknown) => (value === shared ? { ...shared, replaced: true } : value);
    for (const replacer of [undefined, marked]) {
      const theirs = JSON.stringify(json.decycle(root, replacer));
      expect(theirs).toContain('"$ref":"#/paths/~1x~1%7Bid%7D"'); // the case is really cyclic
      const ours = decycle(root, replacer, json) as typeof root;
      expect(JSON.stringify(ours)).toBe(theirs);
      expect(Object.keys(ours.sparse)).toEqual(Object.keys((json.decycle(root, replacer) as typeof root).sparse));
    }
  });

  it("is what the Prism files that decycle a spec get when they require @stoplight/json", () => {
    for (const file of decyclingFiles) expect(fs.readFileSync(file, "utf8"), file).toMatch(/require\("@stoplight\/json"\)[\s\S]*\.decycle\)\(/);
    // In a process with the preload, as Prism runs: each of those files gets its @stoplight/json with
    // another decycle (the rest of the module as it is), while a require from anywhere else (here,
    // this script's own) gets the module itself.
    const probe = `
      const Module = require("node:module");
      console.log(JSON.stringify(${JSON.stringify(decyclingFiles)}.map((filename) => {
        const prism = Object.assign(new Module(filename), { filename, paths: Module._nodeModulePaths(require("node:path").dirname(filename)) });
        const got = Module._load("@stoplight/json", prism);
        const real = require(Module.createRequire(filename).resolve("@stoplight/json"));
        const works = JSON.stringify(got.decycle({ a: [1, { b: null }] })) === '{"a":[1,{"b":null}]}';
        return got.decycle !== real.decycle && works && got.bundleTarget === real.bundleTarget;
      })));`;
    const output = execFileSync(process.execPath, ["--require", PRELOAD, "-e", probe], { encoding: "utf8" });
    expect(JSON.parse(output)).toEqual([true, true]);
  });
});
