/**
 * Building what a call sends — URL, headers and body — from a path template and openapi-fetch's call
 * options, with openapi-fetch's own serialisers, so a call is encoded exactly as openapi-fetch encodes
 * it. No Request is made: the transport hands fetch a URL string and an init, and a Request built
 * here would only be read back and thrown away (on Node 20 each one costs an AbortSignal and a
 * finalizer). openapi-fetch's client itself is used only when the caller registers middleware, which
 * is written against Request objects.
 */
import { createFinalURL, createQuerySerializer, defaultBodySerializer, defaultPathSerializer, mergeHeaders, type HeadersOptions } from "openapi-fetch";
import { ConfigError } from "./errors.js";

/** One request as the transport sends it, the same bytes on every attempt. */
export interface OutgoingRequest {
  url: string;
  method: string;
  headers: Headers;
  /** A string, or bytes read once from whatever else the serialiser produced. */
  body: string | Uint8Array | undefined;
  /** The fetch options the caller set for this call (`cache`, `keepalive`, `dispatcher`…). */
  extra: Record<string, unknown> | undefined;
}

type Serializer = (value: unknown) => string;
type BodySerializer = (body: unknown, headers?: Headers) => unknown;

const defaultQuerySerializer = createQuerySerializer() as Serializer;
const JSON_TYPE = { "Content-Type": "application/json" };

/** The call options openapi-fetch reads; the rest of `init` are fetch options passed through. */
interface RequestOptions {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: HeadersOptions };
  body?: unknown;
  headers?: HeadersOptions;
  querySerializer?: Serializer | Record<string, unknown>;
  bodySerializer?: BodySerializer;
  pathSerializer?: (path: string, params: Record<string, unknown>) => string;
}

export async function buildRequest(baseUrl: string, baseHeaders: HeadersOptions | undefined, method: string, path: string, init: Record<string, unknown>): Promise<OutgoingRequest> {
  const { params = {}, body, headers, querySerializer, bodySerializer = defaultBodySerializer as BodySerializer, pathSerializer = defaultPathSerializer, ...rest } = init as RequestOptions & Record<string, unknown>;
  if (body !== undefined && (method === "GET" || method === "HEAD")) {
    throw new ConfigError(`${method} ${path}: option \`body\` cannot be sent with a ${method}; pass the values in \`params.query\``);
  }
  const url = createFinalURL(path, {
    baseUrl,
    params,
    querySerializer: typeof querySerializer === "function" ? querySerializer : querySerializer ? (createQuerySerializer(querySerializer) as Serializer) : defaultQuerySerializer,
    pathSerializer,
  });
  // As openapi-fetch: the serialiser sees every header the caller set (a form content type changes
  // the encoding), and a JSON content type is the lowest-priority default when there is a body.
  const serialized = body === undefined ? undefined : bodySerializer(body, mergeHeaders(baseHeaders, headers, params.header));
  const jsonDefault = serialized === undefined || serialized instanceof FormData ? undefined : JSON_TYPE;
  const finalHeaders = mergeHeaders(jsonDefault, baseHeaders, headers, params.header);
  const extra = hasKeys(rest) ? rest : undefined;
  if (serialized === undefined || typeof serialized === "string") return { url, method, headers: finalHeaders, body: serialized, extra };
  // FormData, Blob, a stream…: let a Request encode it once (a multipart body brings its boundary
  // in the content type), and keep the bytes so every attempt sends the same ones.
  const encoded = new Request(url, { method, headers: finalHeaders, body: serialized as BodyInit, duplex: "half" } as RequestInit);
  return { url, method, headers: encoded.headers, body: new Uint8Array(await encoded.arrayBuffer()), extra };
}

/** The same, from a Request that openapi-fetch (with the caller's middleware) made. */
export async function fromRequest(request: Request, extra: Record<string, unknown> | undefined): Promise<OutgoingRequest> {
  return {
    url: request.url,
    method: request.method,
    headers: new Headers(request.headers),
    body: request.body === null ? undefined : new Uint8Array(await request.arrayBuffer()),
    extra,
  };
}

function hasKeys(value: object): boolean {
  for (const _ in value) return true;
  return false;
}
