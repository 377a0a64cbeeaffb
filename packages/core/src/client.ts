/**
 * `createApiClient`: an openapi-fetch client typed by the generated paths, whose calls go through the
 * o11ykit transport (rate limits, retries, timeouts, envelopes) and whose errors are ApiError.
 * Provider packages call it from their factory with their generated metadata.
 */
import createOpenApiFetchClient, { type Middleware } from "openapi-fetch";
import { authFor, type Credential } from "./auth.js";
import { createEnvelopeAdapter, readErrorFields, responseFacts } from "./envelope.js";
import { ApiError, ConfigError, type OperationRef } from "./errors.js";
import { operationKey, type ApiMetadata, type HttpMethod, type OperationMetadata } from "./metadata.js";
import { fingerprint, sharedLimiters, type LimiterRegistry, type SlidingWindowLimiter } from "./rate-limiter.js";
import { Redactor } from "./redact.js";
import { defaultRetryOptions, type RetryOptions } from "./retry.js";
import { callFacts, createTransport, type TransportEvents } from "./transport.js";
import { paginate } from "./paginate.js";
import type { CallOptions, O11ykitClient } from "./types.js";
import { checkCallOptions, checkClientOptions, checkRequiredParams } from "./validate-options.js";

export interface RateLimitOverride {
  requests: number;
  periodSeconds: number;
}

/** Options every provider factory accepts. */
export interface ClientOptions extends TransportEvents {
  /** API root; defaults to the spec's server. Point it at a mock in tests. */
  baseUrl?: string;
  /** Per-attempt timeout in ms (default 60 000). Each attempt gets a fresh timer. */
  timeoutMs?: number;
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** Longest single wait before a retry that the client accepts (default 60 000 ms); a longer Retry-After fails fast. */
  maxRetryWaitMs?: number;
  /** Replace the spec's limits for some buckets, or `"off"` to send without waiting (not recommended). */
  rateLimits?: "off" | Readonly<Record<string, RateLimitOverride>>;
  /** Headers sent with every call. */
  headers?: Record<string, string>;
  /** fetch implementation (default: global fetch). */
  fetch?: (request: Request) => Promise<Response>;
  /** Where rate-limit state lives (default: shared by the whole process). */
  limiters?: LimiterRegistry;
}

export interface ApiClientSetup {
  /** Name of the provider's factory, used in messages. */
  factory: string;
  api: ApiMetadata;
  operations: Readonly<Record<string, OperationMetadata>>;
  credential: Credential;
  options: ClientOptions;
}

const METHODS: readonly HttpMethod[] = ["GET", "PUT", "POST", "DELETE", "PATCH"];

export function createApiClient<Paths extends {}, Operations = {}, Code extends string = string>(setup: ApiClientSetup): O11ykitClient<Paths, Operations, Code> {
  const { factory, api, operations, options } = setup;
  checkClientOptions(factory, options, api, operations);

  const scheme = api.auth[0];
  if (!scheme) throw new ConfigError(`${factory}: the ${api.title} spec declares no security scheme`);
  const auth = authFor(scheme, setup.credential);
  const redactor = new Redactor(auth.secrets, auth.queryParams);
  const baseUrl = options.baseUrl ?? api.baseUrl;
  if (!baseUrl) {
    const example = api.baseUrlExample ? ` such as "${api.baseUrlExample}"` : "";
    throw new ConfigError(`${factory}: option \`baseUrl\` is required: the URL of your server's API${example}`);
  }

  const inner = createOpenApiFetchClient<Paths>({ baseUrl, headers: options.headers });
  inner.use(auth.middleware);
  const send = createTransport({
    fetch: options.fetch ?? ((request) => globalThis.fetch(request)),
    adaptResponse: createEnvelopeAdapter(api),
    redactor,
    onRetry: options.onRetry,
  });

  const limitersFor = buildLimiters(api, options, auth.secrets[0] ?? "");
  const defaults: RetryOptions & { timeoutMs: number } = {
    ...defaultRetryOptions,
    maxRetries: options.maxRetries ?? defaultRetryOptions.maxRetries,
    maxRetryWaitMs: options.maxRetryWaitMs ?? defaultRetryOptions.maxRetryWaitMs,
    timeoutMs: options.timeoutMs ?? 60_000,
  };

  async function call(method: HttpMethod, path: string, init: Record<string, unknown> = {}) {
    const op = operations[operationKey(method, path)];
    if (!op) throw unknownOperation(factory, api, operations, method, path);
    const ref: OperationRef = { provider: api.title, operationId: op.operationId, method, path };
    const { timeoutMs, maxRetries, maxRetryWaitMs, ...fetchInit } = init as CallOptions & Record<string, unknown>;
    checkCallOptions(`${factory}(): ${op.operationId}`, { timeoutMs, maxRetries, maxRetryWaitMs });
    checkRequiredParams(`${op.operationId} (${method} ${path})`, op.requiredParams, fetchInit);
    if (op.clientRequestIdHeader) withClientRequestId(fetchInit, op.clientRequestIdHeader);
    const settings = {
      operation: ref,
      retrySafe: op.retrySafe,
      limiters: limitersFor(op),
      retryOn: op.retryOn,
      timeoutMs: timeoutMs ?? defaults.timeoutMs,
      retry: {
        ...defaults,
        maxRetries: maxRetries ?? defaults.maxRetries,
        maxRetryWaitMs: maxRetryWaitMs ?? defaults.maxRetryWaitMs,
      },
    };
    const request = (inner as unknown as { request: (m: string, p: string, i: unknown) => Promise<{ data?: unknown; error?: unknown; response: Response }> }).request;
    const result = await request(method.toLowerCase(), path, { ...fetchInit, fetch: (req: Request) => send(req, settings) });
    if (result.response.ok) return result;
    return { error: toApiError(ref, result.error, result.response), response: result.response };
  }

  function toApiError(operation: OperationRef, parsed: unknown, response: Response): ApiError {
    const adapted = responseFacts.get(response);
    const facts = callFacts.get(response);
    const body = adapted?.errorBody ?? parsed;
    const fields = readErrorFields(api, body, response.headers);
    return new ApiError({
      operation,
      status: response.status,
      httpStatus: adapted?.wireStatus ?? response.status,
      code: fields.code,
      providerMessage: fields.message === undefined ? undefined : redactor.text(fields.message),
      requestId: fields.requestId,
      url: response.url,
      attempts: facts?.attempts ?? 1,
      retryAfterMs: facts?.retryAfterMs,
      retryBudgetMs: facts?.retryBudgetMs,
      body: redactDeep(body, redactor),
    });
  }

  const client: Record<string, unknown> = {
    paginate: (path: string, init?: Record<string, unknown>) => {
      const op = operations[operationKey("GET", path)];
      if (!op) throw unknownOperation(factory, api, operations, "GET", path);
      const ref: OperationRef = { provider: api.title, operationId: op.operationId, method: "GET", path };
      return paginate(op, (pageInit) => call("GET", path, pageInit), init, ref);
    },
    use: (...middleware: Middleware[]) => inner.use(...middleware),
    eject: (...middleware: Middleware[]) => inner.eject(...middleware),
    [Symbol.for("nodejs.util.inspect.custom")]: () => `${factory.replace(/^create/, "")} { baseUrl: '${redactor.url(baseUrl)}', operations: ${Object.keys(operations).length} }`,
  };
  for (const method of METHODS) client[method] = (path: string, init?: Record<string, unknown>) => call(method, path, init);
  return client as unknown as O11ykitClient<Paths, Operations, Code>;
}

/**
 * Gives the call a fresh request id (unless the caller set one) in the header the spec names. It is
 * set before the transport buffers the request, so every retry of this call carries the same id.
 */
function withClientRequestId(init: Record<string, unknown>, header: string): void {
  const params = { ...((init["params"] ?? {}) as Record<string, unknown>) };
  const headerParams = { ...((params["header"] ?? {}) as Record<string, unknown>) };
  const given = new Headers(init["headers"] as HeadersInit | undefined);
  const alreadySet = given.has(header) || Object.keys(headerParams).some((name) => name.toLowerCase() === header.toLowerCase());
  if (alreadySet) return;
  headerParams[header] = crypto.randomUUID();
  params["header"] = headerParams;
  init["params"] = params;
}

function buildLimiters(api: ApiMetadata, options: ClientOptions, secret: string) {
  const registry = options.limiters ?? sharedLimiters;
  const credential = fingerprint(secret);
  const cache = new Map<OperationMetadata, SlidingWindowLimiter[]>();
  const overrides = options.rateLimits;
  return (op: OperationMetadata): SlidingWindowLimiter[] => {
    if (overrides === "off") return [];
    let limiters = cache.get(op);
    if (!limiters) {
      limiters = [...op.rateLimits]
        .sort((a, b) => a.bucket.localeCompare(b.bucket))
        .map((limit) => {
          const override = overrides?.[limit.bucket];
          const requests = override?.requests ?? limit.requests;
          const periodSeconds = override?.periodSeconds ?? limit.periodSeconds;
          return registry.get(`${api.name}|${credential}|${limit.bucket}`, requests, periodSeconds * 1000);
        });
      cache.set(op, limiters);
    }
    return limiters;
  };
}

function unknownOperation(factory: string, api: ApiMetadata, operations: Readonly<Record<string, OperationMetadata>>, method: string, path: string): ConfigError {
  const known = Object.values(operations).filter((op) => op.method === method).map((op) => op.path);
  const samePath = Object.values(operations).filter((op) => op.path === path).map((op) => op.method);
  const hint = samePath.length
    ? `${path} exists with ${samePath.join(", ")}; call client.${samePath[0]}("${path}", …) instead.`
    : `Known ${method} paths: ${known.join(", ") || "none"}.`;
  return new ConfigError(`${factory}: ${method} ${path} is not an operation of the ${api.title} spec. ${hint}`);
}

function redactDeep(value: unknown, redactor: Redactor): unknown {
  if (typeof value === "string") return redactor.text(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redactor));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redactor)]));
  }
  return value;
}
