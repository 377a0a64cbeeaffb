// prism-preload.cjs hands Prism the router of prism-router.cjs, which routes among the operations whose
// path could match: it must pick the operation Prism's own router picks, or fail as it does, for every
// operation of every spec this package ships and for requests that match none, and it must still reach
// the Prism file that requires the router (an upgraded Prism that moved it would quietly lose it).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MOCK_PROVIDERS, specPath } from "../src/providers.js";

interface Operation {
  method: string;
  path: string;
}
interface RouteInput {
  method: string;
  url: { path: string; baseUrl?: string };
}
type Either = { _tag: "Right"; right: Operation } | { _tag: "Left"; left: Error & { status?: number } };
type Route = (options: { resources: Operation[]; input: RouteInput }) => Either;

const require = createRequire(import.meta.url);
const PRELOAD = fileURLToPath(new URL("../prism-preload.cjs", import.meta.url));
const { narrowed } = require("../prism-router.cjs") as { narrowed: (route: Route) => Route };

// Prism's router and its reading of a spec's operations, as Prism's own dependency tree resolves them.
const fromCli = createRequire(require.resolve("@stoplight/prism-cli/package.json"));
const fromHttp = createRequire(fromCli.resolve("@stoplight/prism-http/package.json"));
const routerHolder = fromHttp.resolve("@stoplight/prism-http/dist/index.js");
const prismRoute = (fromHttp("@stoplight/prism-http/dist/router") as { default: Route }).default;
const { getHttpOperationsFromSpec } = fromHttp("@stoplight/prism-http") as { getHttpOperationsFromSpec(spec: string): Promise<Operation[]> };
const ourRoute = narrowed(prismRoute);

/** What a route answered, comparable across the two routers: which of the operations, or the error. */
function outcome(result: Either, operations: Operation[]): unknown {
  return result._tag === "Right" ? { operation: operations.indexOf(result.right) } : { error: result.left.name, status: result.left.status, message: result.left.message };
}

/** A request for an operation, its path as a client sends it. */
function requestFor(operation: Operation): RouteInput {
  return { method: operation.method, url: { path: operation.path.replace(/{[^}/]+}/g, "v-1") } };
}

/** Near misses of an operation's request: paths a little off, another method, a named server. */
function nearMisses(operation: Operation): RouteInput[] {
  const { path } = requestFor(operation).url;
  const other = operation.method === "get" ? "post" : "get";
  // The first segment's first letter percent-encoded, which Prism decodes before it compares.
  const encoded = path.replace(/^\/([A-Za-z])/, (_, letter: string) => `/%${letter.charCodeAt(0).toString(16)}`);
  const paths = [encoded, `${path}/`, `${path}/extra`, path.replace(/\/[^/]*$/, "/elsewhere"), path.replace(/\/[^/]*$/, "/%E0%A4%A")];
  return [
    ...paths.map((p) => ({ method: operation.method, url: { path: p } })),
    { method: other, url: { path } },
    { method: operation.method.toUpperCase(), url: { path } },
    { method: operation.method, url: { path, baseUrl: "https://api.example.com" } },
  ];
}

describe("the router Prism is given (prism-router.cjs)", () => {
  // Every operation's request, and near misses of a dozen operations spread over the spec: Prism's
  // router, which each case runs too, takes milliseconds per request on the Flashduty spec.
  it.each(MOCK_PROVIDERS)("routes a request for each of the %s spec's operations, and near misses, as Prism's router does", async (provider) => {
    const operations = await getHttpOperationsFromSpec(specPath(provider));
    expect(operations.length).toBeGreaterThan(10);
    const every = Math.ceil(operations.length / 12);
    const missing = operations.filter((_, at) => at % every === 0).flatMap(nearMisses);
    const inputs = [...operations.map(requestFor), ...missing, { method: "get", url: { path: "/" } }, { method: "get", url: { path: "/no/such/path" } }];
    let matched = 0;
    for (const input of inputs) {
      const theirs = prismRoute({ resources: operations, input });
      if (theirs._tag === "Right") matched++;
      expect(outcome(ourRoute({ resources: operations, input }), operations), `${input.method} ${input.url.path}`).toEqual(outcome(theirs, operations));
    }
    expect(matched).toBeGreaterThanOrEqual(operations.length); // the cases are not all misses
  }, 60_000);

  it("compares segments decoded, as Prism does, and keeps Prism's answers when no operation could match", () => {
    // `/teams/%6Cist` is `/teams/list` decoded, which Prism prefers to the template; so is `/caf%C3%A9` `/café`.
    const operations: Operation[] = [
      { method: "get", path: "/teams/{id}" },
      { method: "get", path: "/teams/list" },
      { method: "get", path: "/caf%C3%A9" },
    ];
    for (const resources of [operations, []]) {
      for (const path of ["/teams/%6Cist", "/teams/list", "/café", "/users", "/teams/1/members", "no-slash"]) {
        const input = { method: "get", url: { path } };
        expect(outcome(ourRoute({ resources, input }), resources), path).toEqual(outcome(prismRoute({ resources, input }), resources));
      }
    }
  });

  it("is what the Prism file that routes requests gets when it requires its router", () => {
    expect(fs.readFileSync(routerHolder, "utf8")).toMatch(/require\("\.\/router"\)[\s\S]*route: router_1\.default/);
    // In a process with the preload, as Prism runs: that file gets the router with another `default`
    // (the rest of the module as it is), which routes; a require from anywhere else gets Prism's own.
    const probe = `
      const Module = require("node:module");
      const filename = ${JSON.stringify(routerHolder)};
      const prism = Object.assign(new Module(filename), { filename, paths: Module._nodeModulePaths(require("node:path").dirname(filename)) });
      const got = Module._load("./router", prism);
      const real = require(require("node:path").join(require("node:path").dirname(filename), "router"));
      const resources = [{ method: "get", path: "/a/{id}" }, { method: "get", path: "/b" }];
      const routed = got.default({ resources, input: { method: "get", url: { path: "/b" } } });
      console.log(JSON.stringify([got.default !== real.default, routed.right === resources[1]]));`;
    const output = execFileSync(process.execPath, ["--require", PRELOAD, "-e", probe], { encoding: "utf8" });
    expect(JSON.parse(output)).toEqual([true, true]);
  });
});
