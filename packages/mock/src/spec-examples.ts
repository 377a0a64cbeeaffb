/**
 * Builds a request for an operation from its spec's own examples: required path and query parameters
 * from their `example`, the body from the request body's `example` (or its first named example).
 * Contract tests use it to call every operation of a spec; users can use it to seed their own tests.
 */

import { resolveRef } from "./providers.js";

type Json = Record<string, any>;

export interface ExampleRequest {
  params: { path: Record<string, unknown>; query: Record<string, unknown> };
  body?: unknown;
}

export function exampleRequest(spec: Json, method: string, path: string): ExampleRequest {
  const item = spec["paths"]?.[path];
  const op = item?.[method.toLowerCase()];
  if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in the spec`);
  const params: ExampleRequest["params"] = { path: {}, query: {} };
  for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
    const p = resolveRef(spec, raw);
    if (!p || !(p["in"] === "path" || p["in"] === "query") || !p["required"]) continue;
    if (p["example"] === undefined) throw new Error(`${method.toUpperCase()} ${path}: required parameter \`${p["name"]}\` has no example in the spec`);
    params[p["in"] as "path" | "query"][p["name"]] = p["example"];
  }
  const content = resolveRef(spec, op.requestBody)?.["content"]?.["application/json"];
  if (!content) return { params };
  const named = content.examples ? resolveRef(spec, Object.values(content.examples)[0] as Json)?.["value"] : undefined;
  return { params, body: content.example ?? named };
}
