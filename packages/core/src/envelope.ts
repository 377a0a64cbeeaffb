/**
 * Provider envelopes. Many APIs wrap every body (`{request_id, data}` / `{request_id, error}`); the
 * client hands callers the payload instead, keeps the request id in a response header, and turns an
 * error object that arrives in a 2xx body into an error response with the code's usual status.
 */
import type { ApiMetadata } from "./metadata.js";

/** Facts about a response that its headers and body no longer show. */
export interface ResponseFacts {
  /** The status the server actually sent, when the envelope changed the effective one. */
  wireStatus: number;
  /** The raw error body, before unwrapping (for ApiError). */
  errorBody?: unknown;
}

export const responseFacts = new WeakMap<Response, ResponseFacts>();

export interface ErrorFields {
  code: string | undefined;
  message: string | undefined;
  requestId: string | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const str = (value: unknown): string | undefined => (typeof value === "string" && value.length > 0 ? value : undefined);

/** Pulls code, message and request id out of an error body, whatever its shape (JSON or text). */
export function readErrorFields(api: ApiMetadata, body: unknown, headers: Headers): ErrorFields {
  const env = api.envelope;
  const headerId = api.requestIdHeader ? (headers.get(api.requestIdHeader) ?? undefined) : undefined;
  if (!isObject(body)) {
    return { code: undefined, message: str(typeof body === "string" ? body.trim().slice(0, 500) : undefined), requestId: headerId };
  }
  const errorObject = env?.error && isObject(body[env.error]) ? (body[env.error] as Record<string, unknown>) : body;
  const message = str(errorObject[env?.errorMessage ?? "message"]) ?? str(errorObject["error"]);
  return {
    code: str(errorObject[env?.errorCode ?? "code"]),
    message,
    requestId: str(body[env?.requestId ?? "requestId"]) ?? str(body["request_id"]) ?? headerId,
  };
}

export function copyHeaders(from: Headers): Headers {
  const headers = new Headers(from);
  // The body is re-serialised, so its length and encoding no longer apply.
  headers.delete("content-length");
  headers.delete("content-encoding");
  return headers;
}

/**
 * Returns a response adapter for the API's envelope, or undefined when it has none. The adapter reads
 * the body once and returns a new Response: the payload for successes, the untouched error body
 * (with the code's usual status) for failures.
 */
export function createEnvelopeAdapter(api: ApiMetadata): ((response: Response) => Promise<Response>) | undefined {
  const env = api.envelope;
  if (!env) return undefined;
  return async (response) => {
    const text = await response.text();
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = undefined; // not JSON: leave it to the error path / caller as text
    }
    const headers = copyHeaders(response.headers);
    if (isObject(body) && api.requestIdHeader && !headers.has(api.requestIdHeader)) {
      const id = str(body[env.requestId ?? ""]);
      if (id) headers.set(api.requestIdHeader, id);
    }
    const errorValue = isObject(body) && env.error ? body[env.error] : undefined;
    const unreadable = response.ok && text !== "" && body === undefined;
    const isError = !response.ok || unreadable || (errorValue !== undefined && errorValue !== null);
    if (isError) {
      let status = response.status;
      if (unreadable) {
        status = 502; // a success without the JSON envelope cannot be trusted
      } else if (response.ok) {
        const code = isObject(errorValue) ? str(errorValue[env.errorCode ?? "code"]) : undefined;
        status = (code && api.errorCodes[code]) || 400;
      }
      const adapted = new Response(text, { status, statusText: response.ok ? "" : response.statusText, headers });
      responseFacts.set(adapted, { wireStatus: response.status, errorBody: body ?? text });
      return adapted;
    }
    if (response.status === 204 || body === undefined) {
      return new Response(null, { status: response.status === 204 ? 204 : response.status, statusText: response.statusText, headers });
    }
    const payload = isObject(body) ? (body[env.data] ?? null) : body;
    headers.set("content-type", "application/json");
    return new Response(JSON.stringify(payload), { status: response.status, statusText: response.statusText, headers });
  };
}
