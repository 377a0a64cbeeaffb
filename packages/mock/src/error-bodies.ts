/**
 * Builds an error answer the way the provider sends it: the spec's own example for that status (its
 * media type included, so ClickStack's plain-text 429 stays plain text), with the requested code and
 * message patched in where the provider's envelope (`x-o11ykit-envelope`) says they go.
 */
import { randomUUID } from "node:crypto";
import { resolveRef, type Spec } from "./providers.js";

export interface ErrorAnswer {
  status: number;
  contentType: string;
  body: string;
  headers: Record<string, string>;
}

function exampleOf(spec: Spec, media: Spec): unknown {
  if (media["example"] !== undefined) return structuredClone(media["example"]);
  const first = media["examples"] ? resolveRef(spec, Object.values(media["examples"])[0] as Spec) : undefined;
  return first ? structuredClone(first["value"]) : undefined;
}

/** The spec's documented code for a status (`x-o11ykit-error-codes`), for bodies that need one. */
function codeFor(spec: Spec, status: number): string | undefined {
  const codes = (spec["x-o11ykit-error-codes"] ?? {}) as Record<string, number>;
  return Object.entries(codes).find(([, s]) => s === status)?.[0];
}

function patch(spec: Spec, body: unknown, status: number, code: string | undefined, message: string | undefined): unknown {
  const env = spec["x-o11ykit-envelope"] as Record<string, string> | undefined;
  const text = message ?? `mock ${status}${code ? ` ${code}` : ""}`;
  if (env?.["error"] && env["errorCode"]) {
    // {request_id, error: {code, message}} (Flashduty)
    const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
    const inner = (b[env["error"]] && typeof b[env["error"]] === "object" ? b[env["error"]] : {}) as Record<string, unknown>;
    if (code ?? !inner[env["errorCode"]]) inner[env["errorCode"]] = code ?? codeFor(spec, status) ?? "MockError";
    if (message || !inner[env["errorMessage"] ?? "message"]) inner[env["errorMessage"] ?? "message"] = text;
    b[env["error"]] = inner;
    if (env["requestId"] && !b[env["requestId"]]) b[env["requestId"]] = randomUUID();
    return b;
  }
  if (env?.["error"]) {
    // {status, error: "message", requestId} (ClickHouse Cloud)
    const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
    b["status"] = status;
    if (message || typeof b[env["error"]] !== "string") b[env["error"]] = text;
    if (env["requestId"] && !b[env["requestId"]]) b[env["requestId"]] = randomUUID();
    return b;
  }
  // {code, message, requestId} (Grafana Cloud) or {message} (ClickStack open source)
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  if (code !== undefined || "code" in b) b["code"] = code ?? b["code"] ?? codeFor(spec, status);
  if (message !== undefined || typeof b["message"] !== "string") b["message"] = text;
  return b;
}

export function errorAnswer(spec: Spec, operationKey: string | undefined, status: number, code?: string, message?: string): ErrorAnswer {
  const [method, path] = operationKey ? [operationKey.split(" ")[0]!.toLowerCase(), operationKey.slice(operationKey.indexOf(" ") + 1)] : [undefined, undefined];
  const response = method && path ? resolveRef(spec, spec["paths"]?.[path]?.[method]?.["responses"]?.[String(status)]) : undefined;
  const [contentType, media] = Object.entries((response?.["content"] ?? {}) as Record<string, Spec>)[0] ?? [undefined, undefined];
  const headers: Record<string, string> = {};
  if (contentType && !contentType.includes("json")) {
    const example = media ? exampleOf(spec, media) : undefined;
    return { status, contentType, body: message ?? (typeof example === "string" ? example : `mock ${status}`), headers };
  }
  const example = media ? exampleOf(spec, media) : undefined;
  return { status, contentType: "application/json", body: JSON.stringify(patch(spec, example, status, code, message)), headers };
}

function examplesOf(spec: Spec, media: Spec): unknown[] {
  if (media["example"] !== undefined) return [media["example"]];
  return Object.values((media["examples"] ?? {}) as Record<string, Spec>).map((e) => resolveRef(spec, e)?.["value"]);
}

/**
 * The provider's own answer to an unknown id: the operation's documented 404, or else the status of the
 * provider's not-found error code (`x-o11ykit-error-codes`, e.g. Flashduty's `ResourceNotFound`: 400)
 * when the operation documents it, with that code; `message` is patched in. Undefined when the
 * operation documents neither (ClickStack deletes of an unknown id answer success).
 */
export function notFoundAnswer(spec: Spec, operationKey: string, message: string): ErrorAnswer | undefined {
  const method = operationKey.slice(0, operationKey.indexOf(" ")).toLowerCase();
  const path = operationKey.slice(operationKey.indexOf(" ") + 1);
  const responses = (spec["paths"]?.[path]?.[method]?.["responses"] ?? {}) as Record<string, Spec>;
  const codes = Object.entries((spec["x-o11ykit-error-codes"] ?? {}) as Record<string, number>).filter(([code]) => /not.?found/i.test(code));
  const candidates: [string, string | undefined][] = [];
  if (responses["404"]) candidates.push(["404", codes.find(([, s]) => s === 404)?.[0]]);
  for (const [code, status] of codes) if (status !== 404 && responses[String(status)]) candidates.push([String(status), code]);
  for (const [status, code] of candidates) {
    const response = resolveRef(spec, responses[status]);
    const [contentType, media] = Object.entries((response?.["content"] ?? {}) as Record<string, Spec>)[0] ?? [undefined, undefined];
    const examples = media ? examplesOf(spec, media) : [];
    const example = (code && examples.find((e) => JSON.stringify(e).includes(`"${code}"`))) ?? examples[0];
    if (contentType && !contentType.includes("json")) {
      return { status: Number(status), contentType, body: typeof example === "string" ? example : message, headers: {} };
    }
    return { status: Number(status), contentType: "application/json", body: JSON.stringify(patch(spec, structuredClone(example), Number(status), code, message)), headers: {} };
  }
  return undefined;
}
