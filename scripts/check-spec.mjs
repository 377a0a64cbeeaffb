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

const { startPrism } = await import(path.join(repo, "packages/mock/dist/index.js"));
const prism = await startPrism({ spec: bundled });
const deref = (node) => {
  let value = node;
  while (value && typeof value === "object" && typeof value.$ref === "string") {
    value = value.$ref.slice(2).split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~")).reduce((n, k) => n?.[k], doc);
  }
  return value;
};

/** A multipart example as a form: binary properties (`format: binary`, `contentMediaType`) as files. */
function formData(example, schema) {
  const form = new FormData();
  for (const [name, value] of Object.entries(example ?? {})) {
    const property = deref(schema?.properties?.[name]);
    if (property?.format === "binary" || property?.contentMediaType) {
      form.append(name, new Blob([String(value)], { type: property.contentMediaType ?? "application/octet-stream" }), `${name}.dat`);
    } else {
      form.append(name, typeof value === "string" ? value : JSON.stringify(value));
    }
  }
  return form;
}

/** Dummy credentials in the form the spec's first security scheme asks for, so Prism's security check passes. */
function credentialsFor(spec) {
  const name = Object.keys(spec.security?.[0] ?? {})[0];
  const scheme = deref(spec.components?.securitySchemes?.[name]);
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
      const query = new URLSearchParams(credentials.query);
      let url = route;
      const headerParams = {};
      for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const p = deref(raw);
        if (!p?.required || p.example === undefined && p.schema?.examples === undefined) continue;
        const value = p.example ?? deref(p.schema)?.examples?.[0];
        if (p.in === "path") url = url.replace(`{${p.name}}`, encodeURIComponent(String(value)));
        if (p.in === "query") query.set(p.name, String(value));
        if (p.in === "header") headerParams[p.name] = String(value);
      }
      const content = deref(op.requestBody)?.content ?? {};
      const [mediaType, media] = Object.entries(content)[0] ?? [];
      const examples = media?.examples
        ? Object.entries(media.examples).map(([name, e]) => [name, deref(e).value])
        : media?.example !== undefined
          ? [["example", media.example]]
          : [["(no body)", undefined]];
      if (media && examples[0][0] === "(no body)") {
        console.log(`FAIL ${method.toUpperCase()} ${route}: the request body has no example`);
        failures++;
        continue;
      }
      for (const [name, body] of examples) {
        sent++;
        const multipart = mediaType?.startsWith("multipart/form-data");
        const response = await fetch(`${prism.url}${url}?${query}`, {
          method: method.toUpperCase(),
          // A multipart body sets its own content-type (with the boundary).
          headers: { ...credentials.headers, ...headerParams, ...(body === undefined || multipart ? {} : { "content-type": mediaType ?? "application/json" }) },
          body: body === undefined ? undefined : multipart ? formData(body, deref(media.schema)) : mediaType?.includes("json") ? JSON.stringify(body) : String(body),
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
