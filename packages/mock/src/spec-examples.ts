/**
 * Builds a request for an operation from its spec's own examples: required path and query parameters
 * from their `example`, the body from the request body's `example` (or its first named example).
 * Contract tests use it to call every operation of a spec; users can use it to seed their own tests.
 */

import { loadSpec, resolveRef } from "./providers.js";

type Json = Record<string, any>;

export interface ExampleRequest {
  params: { path: Record<string, unknown>; query: Record<string, unknown>; header?: Record<string, unknown> };
  body?: unknown;
  /** Set for a multipart body: turns the example object into FormData (binary properties as files). */
  bodySerializer?: (body: unknown) => FormData;
}

/** One of an operation's request examples, by name. */
export interface NamedExampleRequest extends ExampleRequest {
  name: string;
}

export function exampleRequest(spec: Json | string, method: string, path: string): ExampleRequest {
  const [first] = exampleRequests(spec, method, path);
  const { name: _name, ...request } = first!;
  return request;
}

/**
 * Every request example of an operation: one request per named example of its body (or the single
 * `example`, or none when it takes no body), each with the required parameters' examples. Contract
 * tests send all of them, so every variant the spec shows is checked against the mock. `spec` is the
 * document, or the path of its JSON file (read once per process, as `startPrism` takes a path).
 */
export function exampleRequests(specOrFile: Json | string, method: string, path: string): NamedExampleRequest[] {
  const spec = typeof specOrFile === "string" ? loadSpec(specOrFile) : specOrFile;
  const item = spec["paths"]?.[path];
  const op = item?.[method.toLowerCase()];
  if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in the spec`);
  const params: ExampleRequest["params"] = { path: {}, query: {} };
  for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
    const p = resolveRef(spec, raw);
    if (!p || !(p["in"] === "path" || p["in"] === "query" || p["in"] === "header") || !p["required"]) continue;
    if (p["example"] === undefined) throw new Error(`${method.toUpperCase()} ${path}: required parameter \`${p["name"]}\` has no example in the spec`);
    if (p["in"] === "header") (params.header ??= {})[p["name"]] = p["example"];
    else params[p["in"] as "path" | "query"][p["name"]] = p["example"];
  }
  const contentByType = (resolveRef(spec, op.requestBody)?.["content"] ?? {}) as Json;
  const [mediaType, content] = (Object.entries(contentByType)[0] ?? []) as [string | undefined, Json | undefined];
  if (!content) return [{ name: "no body", params }];
  const extra = mediaType?.startsWith("multipart/form-data") ? { bodySerializer: (body: unknown) => toFormData(spec, content["schema"], body) } : {};
  if (content["examples"]) {
    return Object.entries(content["examples"] as Json).map(([name, example]) => ({ name, params, body: resolveRef(spec, example as Json)?.["value"], ...extra }));
  }
  if (content["example"] === undefined && op.requestBody && resolveRef(spec, op.requestBody)?.["required"]) {
    throw new Error(`${method.toUpperCase()} ${path}: the request body has no example in the spec`);
  }
  return [{ name: "example", params, body: content["example"], ...extra }];
}

/** A multipart example as a form: properties typed `format: binary` (or with a media type) become files. */
function toFormData(spec: Json, schemaRef: Json | undefined, body: unknown): FormData {
  const schema = resolveRef(spec, schemaRef ?? {}) ?? {};
  const form = new FormData();
  for (const [name, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    const property = resolveRef(spec, schema["properties"]?.[name] ?? {}) ?? {};
    if (property["format"] === "binary" || property["contentMediaType"]) {
      form.append(name, new Blob([String(value)], { type: property["contentMediaType"] ?? "application/octet-stream" }), `${name}.dat`);
    } else {
      form.append(name, typeof value === "string" ? value : JSON.stringify(value));
    }
  }
  return form;
}
