#!/usr/bin/env node
// `node scripts/check-spec.mjs <root.yaml> [--only <path-prefix>]`: the quick loop for writing a spec.
// Lints the root with the repository's Redocly config (zero problems allowed), bundles it, starts a
// Prism mock of it with request validation on, and sends every request example of every operation
// (each named example of the body; required parameters from their `example`). Prints one line per
// example and fails when Prism finds a request invalid or answers with anything but a 2xx.
// Works on a scratch root that references only some resource files, so a spec can be checked in parts.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundleSpec } from "./lib/bundle-spec.mjs";
import { resolveRef } from "./lib/resolve-ref.mjs";

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const root = args[0];
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
if (!root) {
  console.error("usage: node scripts/check-spec.mjs <root.yaml> [--only <path-prefix>]");
  process.exit(2);
}

const lint = spawnSync("pnpm", ["exec", "redocly", "lint", root, "--format", "stylish"], { cwd: repo, encoding: "utf8" });
const lintOutput = `${lint.stdout}${lint.stderr}`;
const problems = lintOutput.split("\n").filter((line) => /\b(error|warning)\b/.test(line) && !/deprecat/i.test(line));
if (lint.status !== 0 || problems.length > 0) {
  console.error(lintOutput);
  console.error(`check-spec: ${root} does not lint clean`);
  process.exit(1);
}
console.log(`lint: ${root} clean`);

const doc = await bundleSpec(path.resolve(root), { cwd: repo });
const tmp = path.join(repo, ".tmp", "check-spec");
mkdirSync(tmp, { recursive: true });
const bundled = path.join(tmp, `${path.basename(root, path.extname(root))}-${process.pid}.json`);
writeFileSync(bundled, JSON.stringify(doc));

// The same example requests the contract tests send (every named body example, required path, query
// and header parameters from their `example`, multipart bodies as forms), from the mock package.
const { exampleRequests, startPrism } = await import(path.join(repo, "packages/mock/dist/index.js"));
const prism = await startPrism({ spec: bundled });

/** Dummy credentials in the form the spec's first security scheme asks for, so Prism's security check passes. */
function credentialsFor(spec) {
  const name = Object.keys(spec.security?.[0] ?? {})[0];
  const scheme = resolveRef(spec, spec.components?.securitySchemes?.[name]);
  if (scheme?.type === "apiKey" && scheme.in === "query") return { query: { [scheme.name]: "check-spec-key" }, headers: {} };
  if (scheme?.type === "apiKey" && scheme.in === "header") return { query: {}, headers: { [scheme.name]: "check-spec-key" } };
  if (scheme?.type === "http" && scheme.scheme?.toLowerCase() === "bearer") return { query: {}, headers: { authorization: "Bearer check-spec-token" } };
  if (scheme?.type === "http" && scheme.scheme?.toLowerCase() === "basic") return { query: {}, headers: { authorization: `Basic ${btoa("check:spec")}` } };
  return { query: {}, headers: {} };
}
const credentials = credentialsFor(doc);

let failures = 0;
let sent = 0;
try {
  for (const [route, item] of Object.entries(doc.paths ?? {})) {
    if (only && !route.startsWith(only)) continue;
    for (const method of ["get", "post", "put", "patch", "delete"]) {
      const op = item[method];
      if (!op) continue;
      let examples;
      try {
        examples = exampleRequests(doc, method, route);
      } catch (error) {
        console.log(`FAIL ${method.toUpperCase()} ${route}: ${error.message}`);
        failures++;
        continue;
      }
      const mediaType = Object.keys(resolveRef(doc, op.requestBody)?.content ?? {})[0];
      for (const { name, params, body, bodySerializer } of examples) {
        sent++;
        const url = route.replace(/\{(\w+)\}/g, (_, param) => encodeURIComponent(String(params.path[param])));
        const query = new URLSearchParams({ ...credentials.query, ...Object.fromEntries(Object.entries(params.query).map(([k, v]) => [k, String(v)])) });
        const headerParams = Object.fromEntries(Object.entries(params.header ?? {}).map(([k, v]) => [k, String(v)]));
        const response = await fetch(`${prism.url}${url}?${query}`, {
          method: method.toUpperCase(),
          // A multipart body sets its own content-type (with the boundary).
          headers: { ...credentials.headers, ...headerParams, ...(body === undefined || bodySerializer ? {} : { "content-type": mediaType ?? "application/json" }) },
          body: body === undefined ? undefined : bodySerializer ? bodySerializer(body) : mediaType?.includes("json") ? JSON.stringify(body) : String(body),
        });
        const violations = response.headers.get("sl-violations");
        await response.arrayBuffer();
        const ok = response.ok && !violations;
        if (!ok) failures++;
        console.log(`${ok ? "ok  " : "FAIL"} ${method.toUpperCase()} ${route} [${name}] ${response.status}${violations ? ` ${violations}` : ""}`);
      }
    }
  }
} finally {
  await prism.close();
}
console.log(`check-spec: ${sent} example request(s), ${failures} failure(s)`);
process.exit(failures ? 1 : 0);
