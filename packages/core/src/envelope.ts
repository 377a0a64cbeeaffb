/**
 * Turning the bytes of a final answer into what the caller gets, parsing them once. Many APIs wrap
 * every body (`{request_id, data}` / `{request_id, error}`); the client hands callers the payload
 * instead, keeps the request id in a response header, and treats an error object that arrives in a
 * 2xx body as an error with the code's usual status. A 2xx that cannot be what the spec promises (an
 * empty body where data is due, HTML where JSON is due) is an error too, never a silent `undefined`.
 */
import type { ApiMetadata, OperationMetadata } from "./metadata.js";
import { decodeText, ERROR_BODY_LIMIT, truncateText } from "./response-body.js";

export interface ErrorFields {
  code: string | undefined;
  message: string | undefined;
  requestId: string | undefined;
}

/** What a final answer means. `status` is the effective status (an error in a 2xx body takes its code's). */
export type Interpretation = (
  | { ok: true; status: number; data: unknown }
  | { ok: false; status: number; errorBody: unknown; invalid?: string }
) & {
  /** The envelope's request id, for filling in the response header when the server left it out. */
  requestId?: string | undefined;
  /** The body as text (read once), for matching `x-o11ykit-retry-on` rules. */
  text: string;
};

/** Status given to a 2xx answer whose body is not what the operation returns (a broken gateway, a proxy page). */
export const INVALID_RESPONSE_STATUS = 502;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const str = (value: unknown): string | undefined => (typeof value === "string" && value.length > 0 ? value : undefined);

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** What arrived, for a message: its media type and the start of its text. */
function describeArrival(headers: Headers, text: string): string {
  const type = headers.get("content-type") ?? "no content-type";
  const start = text.trim().slice(0, 120).replace(/\s+/g, " ");
  return start ? `${type}: ${JSON.stringify(start)}${text.length > 120 ? "…" : ""}` : type;
}

export type ParseAs = "json" | "text" | "blob" | "arrayBuffer" | "stream";

export function interpret(api: ApiMetadata, op: OperationMetadata, status: number, headers: Headers, bytes: Uint8Array, parseAs: ParseAs): Interpretation {
  const text = decodeText(bytes);
  if (status >= 400) {
    const parsed = text === "" ? undefined : parseJson(text);
    const body = parsed?.ok ? parsed.value : text === "" ? undefined : truncateText(text);
    const requestId = isObject(body) && api.envelope?.requestId ? str(body[api.envelope.requestId]) : undefined;
    return { ok: false, status, errorBody: body, requestId, text };
  }
  if (status === 204 || status === 205 || status === 304) return { ok: true, status, data: undefined, text };
  // The caller asked for the raw body: hand it over as asked, unparsed.
  if (parseAs !== "json") return { ok: true, status, data: rawAs(parseAs, bytes, text, headers), text };

  const isJson = /\bjson\b/i.test(headers.get("content-type") ?? "");
  if (op.responseType === "text" && !isJson) return { ok: true, status, data: text, text };
  if (text === "") {
    if (op.emptyOk) return { ok: true, status, data: undefined, text };
    return invalid(`the HTTP ${status} answer has an empty body, but ${op.operationId} returns data`);
  }
  const parsed = parseJson(text);
  if (!parsed.ok) return invalid(`the HTTP ${status} answer is not JSON (${describeArrival(headers, text)})`);

  const env = op.noEnvelope ? null : api.envelope;
  if (!env) return { ok: true, status, data: parsed.value, text };
  const body = parsed.value;
  if (!isObject(body)) return invalid(`the HTTP ${status} answer is not the ${api.title} envelope (${describeArrival(headers, text)})`);
  const requestId = env.requestId ? str(body[env.requestId]) : undefined;
  const errorValue = env.error ? body[env.error] : undefined;
  if (errorValue !== undefined && errorValue !== null && !isSuccessMarker(api, errorValue)) {
    const code = isObject(errorValue) ? str(errorValue[env.errorCode ?? "code"]) : undefined;
    return { ok: false, status: (code && api.errorCodes[code]) || 400, errorBody: body, requestId, text };
  }
  return { ok: true, status, data: body[env.data] ?? null, requestId, text };

  function invalid(reason: string): Interpretation {
    return { ok: false, status: INVALID_RESPONSE_STATUS, errorBody: text === "" ? undefined : truncateText(text, ERROR_BODY_LIMIT), invalid: reason, text };
  }
}

/** Flashduty may send `error: {code: "OK"}` beside a successful `data`: a success, not an error. */
function isSuccessMarker(api: ApiMetadata, errorValue: unknown): boolean {
  const codes = api.envelope?.successCodes;
  if (!codes?.length) return false;
  const code = isObject(errorValue) ? errorValue[api.envelope?.errorCode ?? "code"] : errorValue;
  return typeof code === "string" && codes.includes(code);
}

function rawAs(parseAs: ParseAs, bytes: Uint8Array, text: string, headers: Headers): unknown {
  switch (parseAs) {
    case "text":
      return text;
    case "arrayBuffer":
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    case "blob":
      return new Blob([bytes as BlobPart], { type: headers.get("content-type") ?? "" });
    default:
      return new Blob([bytes as BlobPart]).stream();
  }
}

/** Pulls code, message and request id out of an error body, whatever its shape (JSON or text). */
export function readErrorFields(api: ApiMetadata, body: unknown, headers: Headers): ErrorFields {
  const env = api.envelope;
  const headerId = api.requestIdHeader ? (headers.get(api.requestIdHeader) ?? undefined) : undefined;
  if (!isObject(body)) {
    return { code: undefined, message: str(typeof body === "string" ? body.trim().slice(0, 500) : undefined), requestId: headerId };
  }
  const errorObject = env?.error && isObject(body[env.error]) ? (body[env.error] as Record<string, unknown>) : body;
  const message = str(errorObject[env?.errorMessage ?? "message"]) ?? str(errorObject["error"]) ?? str(errorObject["msg"]);
  return {
    code: str(errorObject[env?.errorCode ?? "code"]),
    message,
    requestId: str(body[env?.requestId ?? "requestId"]) ?? str(body["request_id"]) ?? headerId,
  };
}

