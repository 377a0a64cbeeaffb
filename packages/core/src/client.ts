/**
 * `createApiClient`: an openapi-fetch client typed by the generated paths, whose calls go through the
 * o11ykit transport (rate limits, retries, timeouts, envelopes) and whose errors are ApiError.
 * Provider packages call it from their factory with their generated metadata.
 */
import createOpenApiFetchClient, { removeTrailingSlash, type Middleware } from "openapi-fetch";
import { attemptAborts } from "./attempt-signal.js";
import { authFor, type Credential } from "./auth.js";
import type { ParseAs } from "./envelope.js";
import { interpret, readErrorFields } from "./envelope.js";
import { readCapped } from "./response-body.js";
import { ApiError, ConfigError, type OperationRef } from "./errors.js";
import { expandOperations, operationIndex, type ApiMetadata, type CompactOperation, type HttpMethod, type OperationMetadata } from "./metadata.js";
import { CALL, defineMethodGroups } from "./methods.js";
import { createLog, type Logger, type LogLevel } from "./log.js";
import { fingerprint, sharedLimiters, type LimiterStore, type RateLimiter } from "./rate-limiter.js";
import { Redactor } from "./redact.js";
import { buildRequest, fromRequest } from "./request.js";
import { defaultRetryOptions, type RetryOptions } from "./retry.js";
import { createTransport, type CallResult, type CallSettings, type FetchFunction, type TransportEvents } from "./transport.js";
import { paginate, PAGINATE_OPTION_NAMES } from "./paginate.js";
import { waitFor } from "./wait.js";
import type { O11ykitClient } from "./types.js";
import { checkCallOptions, checkClientOptions, checkKnownCallOptions, checkRequiredParams } from "./validate-options.js";

export interface RateLimitOverride {
  requests: number;
  periodSeconds: number;
}

/** Defaults for the limits that keep a call bounded; each can be set on the client or per call. */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;
export const DEFAULT_TIMEOUT_MS = 60_000;

/** Options every provider factory accepts. */
export interface ClientOptions extends TransportEvents {
  /** API root; defaults to the spec's server. Point it at a mock in tests. */
  baseUrl?: string | undefined;
  /** Per-attempt timeout in ms (default 60 000). Each attempt gets a fresh timer. */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt (default 2). */
  maxRetries?: number | undefined;
  /** Longest single wait before a retry that the client accepts (default 60 000 ms); a longer Retry-After fails fast. */
  maxRetryWaitMs?: number | undefined;
  /** Largest response body read, in bytes (default 32 MiB); a larger one fails with ResponseTooLargeError. */
  maxResponseBytes?: number | undefined;
  /** Same-origin redirects followed per attempt (default 5); a cross-origin redirect is never followed. */
  maxRedirects?: number | undefined;
  /** Replace the spec's limits for some buckets, or `"off"` to send without waiting (not recommended). */
  rateLimits?: "off" | Readonly<Record<string, RateLimitOverride>> | undefined;
  /** Headers sent with every call. */
  headers?: Record<string, string> | undefined;
  /** fetch implementation, with the standard signature (default: global fetch). Always given a URL string. */
  fetch?: FetchFunction | undefined;
  /**
   * Where rate-limit state lives: by default shared by every client in the process; a store shared
   * across processes (`@o11ykit/redis`) when several processes use the same credential.
   */
  limiters?: LimiterStore | undefined;
  /**
   * Make every failure throw its O11ykitError (an ApiError for an error answer) instead of returning
   * `{ error }`; `data` is then typed as present.
   */
  throwOnError?: boolean | undefined;
  /**
   * Where to report what the client does (each attempt, answer, wait and retry), e.g. `console`;
   * nothing is printed without one. URLs and messages are redacted as in errors.
   */
  logger?: Logger | undefined;
  /** Least severe level passed to `logger` (default `"info"`: retries and failures; `"debug"` adds every attempt). */
  logLevel?: LogLevel | undefined;
}

export interface ApiClientSetup {
  /** Name of the provider's factory, used in messages. */
  factory: string;
  api: ApiMetadata;
  operations: Readonly<Record<string, CompactOperation | OperationMetadata>>;
  credential: Credential;
  options: ClientOptions;
}

const PARSE_AS: readonly ParseAs[] = ["json", "text", "blob", "arrayBuffer", "stream"];

type OpenApiFetchClient = ReturnType<typeof createOpenApiFetchClient>;

/** Everything a client holds, in one object behind a private field (it holds the credential). */
interface ClientState {
  factory: string;
  api: ApiMetadata;
  operations: Readonly<Record<string, OperationMetadata>>;
  /** The same operations by method and path, for the lookup each call makes. */
  index: ReturnType<typeof operationIndex>;
  options: ClientOptions;
  baseUrl: string;
  send: ReturnType<typeof createTransport>;
  redactor: Redactor;
  limitersFor: (op: OperationMetadata) => RateLimiter[];
  defaults: { retry: RetryOptions; timeoutMs: number; maxResponseBytes: number; maxRedirects: number };
  /** openapi-fetch's client, made only once middleware is registered (it runs middleware on Requests). */
  inner: OpenApiFetchClient | undefined;
  middleware: Middleware[];
}

/**
 * The client. Its methods live on the prototype and its state in one private field, so a client costs
 * a few small objects however large the API; method groups come from a subclass made once per table.
 */
class ApiClient {
  readonly #state: ClientState;

  constructor(state: ClientState) {
    this.#state = state;
  }

  GET(path: string, init?: Record<string, unknown>) {
    return callOperation(this.#state, "GET", path, init);
  }
  PUT(path: string, init?: Record<string, unknown>) {
    return callOperation(this.#state, "PUT", path, init);
  }
  POST(path: string, init?: Record<string, unknown>) {
    return callOperation(this.#state, "POST", path, init);
  }
  DELETE(path: string, init?: Record<string, unknown>) {
    return callOperation(this.#state, "DELETE", path, init);
  }
  PATCH(path: string, init?: Record<string, unknown>) {
    return callOperation(this.#state, "PATCH", path, init);
  }
  [CALL](method: HttpMethod, path: string, init?: Record<string, unknown>) {
    return callOperation(this.#state, method, path, init);
  }

  paginate(path: string, init: Record<string, unknown> = {}) {
    const state = this.#state;
    const op = paginatedOperation(state, path);
    const caps = Object.fromEntries(PAGINATE_OPTION_NAMES.filter((k) => k in init).map((k) => [k, init[k]]));
    const rest = Object.fromEntries(Object.entries(init).filter(([k]) => !PAGINATE_OPTION_NAMES.includes(k as never)));
    return paginate(op, (pageInit) => callOperation(state, op.method, path, pageInit), rest, operationRef(state.api, op), caps);
  }

  waitFor(name: string, init: Record<string, unknown> = {}, waitOptions = {}) {
    const state = this.#state;
    const all = Object.values(state.operations);
    const op = all.find((o) => o.wait?.name === name);
    if (!op) {
      const known = all.flatMap((o) => (o.wait ? [o.wait.name] : []));
      throw new ConfigError(`${state.factory}: no waiter \`${name}\` in the ${state.api.title} spec (known: ${known.join(", ") || "none"})`);
    }
    return waitFor(op, operationRef(state.api, op), (pollInit) => callOperation(state, op.method, op.path, pollInit), init, waitOptions);
  }

  use(...middleware: Middleware[]) {
    const state = this.#state;
    state.inner ??= createOpenApiFetchClient({ baseUrl: state.baseUrl, headers: state.options.headers });
    state.inner.use(...middleware); // checks each one
    state.middleware.push(...middleware.filter(Boolean));
  }

  eject(...middleware: Middleware[]) {
    const state = this.#state;
    state.inner?.eject(...middleware);
    state.middleware = state.middleware.filter((m) => !middleware.includes(m));
  }

  [Symbol.for("nodejs.util.inspect.custom")]() {
    const { factory, redactor, baseUrl, operations } = this.#state;
    return `${factory.replace(/^create/, "")} { baseUrl: '${redactor.url(baseUrl)}', operations: ${Object.keys(operations).length} }`;
  }
}

/** The client's own members, which a method group must not shadow. */
const OWN_METHODS = ["GET", "PUT", "POST", "DELETE", "PATCH", "paginate", "waitFor", "use", "eject"] as const;
const RESERVED = new Set<string>(OWN_METHODS);

// As with openapi-fetch, `const { GET, paginate } = client` works: reading a method the first time
// binds it to its client and keeps it there, so a client pays only for the methods taken off it.
for (const name of OWN_METHODS) {
  const method = ApiClient.prototype[name] as (...args: never[]) => unknown;
  Object.defineProperty(ApiClient.prototype, name, {
    configurable: true,
    enumerable: false,
    get(this: ApiClient) {
      const bound = method.bind(this);
      Object.defineProperty(this, name, { value: bound, writable: true, configurable: true, enumerable: false });
      return bound;
    },
  });
}
const classes = new WeakMap<object, typeof ApiClient>();

/** The client class of one operations table: ApiClient plus the table's method groups (made once). */
function clientClassFor(operations: Readonly<Record<string, OperationMetadata>>): typeof ApiClient {
  let cls = classes.get(operations);
  if (!cls) {
    cls = class extends ApiClient {};
    defineMethodGroups(cls.prototype, operations, RESERVED);
    classes.set(operations, cls);
  }
  return cls;
}

export function createApiClient<Paths extends {}, Operations = {}, Code extends string = string>(setup: ApiClientSetup): O11ykitClient<Paths, Operations, Code> {
  const { factory, api, options } = setup;
  const operations = expandOperations(api, setup.operations);
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
  const userFetch = options.fetch;
  const send = createTransport({
    fetch: userFetch ?? ((url, init) => globalThis.fetch(url, init)),
    newAttemptAbort: attemptAborts(userFetch === undefined),
    api,
    applyAuth: auth.apply,
    redactor,
    onRetry: options.onRetry,
    log: createLog(options.logger, options.logLevel),
  });
  const retry: RetryOptions =
    options.maxRetries === undefined && options.maxRetryWaitMs === undefined
      ? defaultRetryOptions
      : { ...defaultRetryOptions, maxRetries: options.maxRetries ?? defaultRetryOptions.maxRetries, maxRetryWaitMs: options.maxRetryWaitMs ?? defaultRetryOptions.maxRetryWaitMs };
  const state: ClientState = {
    factory,
    api,
    operations,
    index: operationIndex(operations),
    options,
    baseUrl: removeTrailingSlash(baseUrl),
    send,
    redactor,
    limitersFor: buildLimiters(api, options, auth.secrets[0] ?? ""),
    defaults: {
      retry,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      maxRedirects: options.maxRedirects ?? DEFAULT_MAX_REDIRECTS,
    },
    inner: undefined,
    middleware: [],
  };
  const Client = clientClassFor(operations);
  return new Client(state) as unknown as O11ykitClient<Paths, Operations, Code>;
}

const refs = new WeakMap<OperationMetadata, { ref: OperationRef; where: string }>();

/** How errors and messages name an operation, made once per operation (tables are shared). */
function describe(api: ApiMetadata, op: OperationMetadata): { ref: OperationRef; where: string } {
  let known = refs.get(op);
  if (!known) {
    known = { ref: { provider: api.title, operationId: op.operationId, method: op.method, path: op.path }, where: `${op.operationId} (${op.method} ${op.path})` };
    refs.set(op, known);
  }
  return known;
}

function operationRef(api: ApiMetadata, op: OperationMetadata): OperationRef {
  return describe(api, op).ref;
}

async function callOperation(state: ClientState, method: HttpMethod, path: string, init: Record<string, unknown> = {}) {
  const { api, defaults } = state;
  const op = state.index.get(method)?.get(path);
  if (!op) throw unknownOperation(state.factory, api, state.operations, method, path);
  const { ref, where } = describe(api, op);
  if (typeof init !== "object" || init === null) throw new ConfigError(`${where}: the second argument must be an options object`);
  checkKnownCallOptions(where, init);
  const { timeoutMs, maxRetries, maxRetryWaitMs, maxResponseBytes, maxRedirects, signal, parseAs, middleware, ...fetchInit } = init as Record<string, unknown>;
  checkCallOptions(where, { timeoutMs, maxRetries, maxRetryWaitMs, maxResponseBytes, maxRedirects });
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new ConfigError(`${where}: option \`signal\` must be an AbortSignal`);
  if (parseAs !== undefined && !PARSE_AS.includes(parseAs as ParseAs)) throw new ConfigError(`${where}: option \`parseAs\` must be one of ${PARSE_AS.join(", ")}`);
  checkRequiredParams(where, op.requiredParams, fetchInit);
  if (op.clientRequestIdHeader) withClientRequestId(fetchInit, op.clientRequestIdHeader);
  (signal as AbortSignal | undefined)?.throwIfAborted();
  const settings: CallSettings = {
    operation: ref,
    op,
    limiters: state.limitersFor(op),
    retryOn: op.retryOn,
    timeoutMs: (timeoutMs as number | undefined) ?? defaults.timeoutMs,
    retry:
      maxRetries === undefined && maxRetryWaitMs === undefined
        ? defaults.retry
        : { ...defaults.retry, maxRetries: (maxRetries as number | undefined) ?? defaults.retry.maxRetries, maxRetryWaitMs: (maxRetryWaitMs as number | undefined) ?? defaults.retry.maxRetryWaitMs },
    signal: signal as AbortSignal | undefined,
    maxResponseBytes: (maxResponseBytes as number | undefined) ?? defaults.maxResponseBytes,
    maxRedirects: (maxRedirects as number | undefined) ?? defaults.maxRedirects,
    parseAs: (parseAs as ParseAs | undefined) ?? "json",
  };
  if (state.middleware.length === 0 && !(Array.isArray(middleware) && middleware.length > 0)) {
    const outcome = await state.send(await buildRequest(state.baseUrl, state.options.headers, method, path, fetchInit), settings);
    return finish(state, ref, outcome);
  }
  return callThroughMiddleware(state, method, path, { ...fetchInit, middleware }, settings);
}

/**
 * With middleware registered, openapi-fetch builds the Request and runs the middleware around the
 * transport, as it would in a plain openapi-fetch client.
 */
async function callThroughMiddleware(state: ClientState, method: HttpMethod, path: string, fetchInit: Record<string, unknown>, settings: CallSettings) {
  state.inner ??= createOpenApiFetchClient({ baseUrl: state.baseUrl, headers: state.options.headers });
  const { params: _p, body: _b, headers: _h, querySerializer: _q, bodySerializer: _s, pathSerializer: _t, middleware: _m, ...extra } = fetchInit;
  let outcome: CallResult | undefined;
  // The transport has already parsed the body, so openapi-fetch is told to leave it ("stream" of a
  // body-less response). The caller's signal stays out of openapi-fetch's Request on purpose.
  const result: { data?: unknown; error?: unknown; response: Response } = await state.inner.request(method.toLowerCase() as never, path as never, {
    ...fetchInit,
    parseAs: "stream",
    fetch: async (request: Request) => {
      outcome = await state.send(await fromRequest(request, Object.keys(extra).length ? extra : undefined), settings);
      return outcome.response;
    },
  } as never);
  const sent = outcome as CallResult | undefined; // assigned in the callback above
  if (!sent || result.response !== sent.response) {
    // A middleware answered (or replaced the answer) itself: its body means what a server's would.
    if (result.response.ok) {
      const { response } = result;
      const bytes = result.data ? await readCapped(new Response(result.data as ReadableStream), settings.maxResponseBytes) : new Uint8Array(0);
      const meaning = interpret(state.api, settings.op, response.status, response.headers, bytes, settings.parseAs);
      return finish(state, settings.operation, Object.assign(meaning, { response, wireStatus: response.status, attempts: sent?.attempts ?? 0 }));
    }
    const error = toApiError(state, settings.operation, { ok: false, status: result.response.status, errorBody: result.error, text: "", response: result.response, wireStatus: result.response.status, attempts: 1 });
    if (state.options.throwOnError) throw error;
    return { error, response: result.response };
  }
  return finish(state, settings.operation, sent);
}

function finish(state: ClientState, ref: OperationRef, outcome: CallResult) {
  if (outcome.ok) return { data: outcome.data, response: outcome.response };
  const error = toApiError(state, ref, outcome);
  if (state.options.throwOnError) throw error;
  return { error, response: outcome.response };
}

function toApiError({ api, redactor }: ClientState, operation: OperationRef, outcome: CallResult & { ok: false }): ApiError {
  const fields = readErrorFields(api, outcome.errorBody, outcome.response.headers);
  const text = (value: string | undefined) => (value === undefined ? undefined : redactor.text(value));
  const refined = refineCode(api, outcome.status, fields.code, fields.message);
  return new ApiError({
    operation,
    status: outcome.status,
    httpStatus: outcome.wireStatus,
    code: text(outcome.invalid ? "InvalidResponse" : (refined ?? fields.code)),
    providerCode: text(fields.code),
    providerMessage: text(outcome.invalid ?? fields.message),
    requestId: text(fields.requestId),
    url: outcome.response.url,
    attempts: outcome.attempts,
    retryAfterMs: outcome.retryAfterMs,
    retryBudgetMs: outcome.retryBudgetMs,
    body: redactor.value(outcome.errorBody),
  });
}

function paginatedOperation({ factory, api, operations }: ClientState, path: string): OperationMetadata {
  const candidates = Object.values(operations).filter((op) => op.path === path);
  const op = candidates.find((o) => o.pagination) ?? candidates[0];
  if (!op) throw unknownOperation(factory, api, operations, "GET", path);
  return op;
}

/** The spec's finer code for this failure, when one of its refinements matches (`x-o11ykit-error-refinements`). */
function refineCode(api: ApiMetadata, status: number, code: string | undefined, message: string | undefined): string | undefined {
  const text = (message ?? "").toLowerCase();
  return api.errorRefinements?.find(
    (rule) => rule.status === status && (rule.code === undefined || rule.code === code) && text.includes(rule.messageIncludes.toLowerCase()),
  )?.as;
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

/**
 * The limiters of an operation's buckets, looked up in the store on every call (the store may forget
 * an idle credential, and a client must not keep a limiter the store has let go, or two clients would
 * hold separate budgets for one key). What to look up is worked out once per operation, in the order
 * the call takes its slots (the order of `op.rateLimits`).
 */
function buildLimiters(api: ApiMetadata, options: ClientOptions, secret: string) {
  const store = options.limiters ?? sharedLimiters;
  const credential = fingerprint(secret);
  const overrides = options.rateLimits;
  const plans = new Map<OperationMetadata, Array<{ key: string; requests: number; periodMs: number }>>();
  const none: RateLimiter[] = [];
  return (op: OperationMetadata): RateLimiter[] => {
    if (overrides === "off") return none;
    let plan = plans.get(op);
    if (!plan) {
      plan = op.rateLimits.map((limit) => {
        const override = overrides?.[limit.bucket];
        const periodSeconds = override?.periodSeconds ?? limit.periodSeconds;
        return { key: `${api.name}|${credential}|${limit.bucket}`, requests: override?.requests ?? limit.requests, periodMs: periodSeconds * 1000 };
      });
      plans.set(op, plan);
    }
    return plan.map(({ key, requests, periodMs }) => store.get(key, requests, periodMs));
  };
}

function unknownOperation(factory: string, api: ApiMetadata, operations: Readonly<Record<string, OperationMetadata>>, method: string, path: string): ConfigError {
  const samePath = Object.values(operations).filter((op) => op.path === path).map((op) => op.method);
  if (samePath.length) {
    return new ConfigError(`${factory}: ${method} ${path} is not an operation of the ${api.title} spec. ${path} exists with ${samePath.join(", ")}; call client.${samePath[0]}("${path}", …) instead.`);
  }
  const near = nearestPaths(path, Object.values(operations).filter((op) => op.method === method).map((op) => op.path));
  const hint = near.length ? `Closest ${method} paths: ${near.join(", ")}.` : `The spec has no ${method} operations.`;
  return new ConfigError(`${factory}: ${method} ${path} is not an operation of the ${api.title} spec. ${hint}`);
}

/** Up to five paths sharing the longest prefix with `path`. */
function nearestPaths(path: string, paths: readonly string[]): string[] {
  const shared = (candidate: string) => {
    let n = 0;
    while (n < candidate.length && n < path.length && candidate[n] === path[n]) n++;
    return n;
  };
  return [...paths].sort((a, b) => shared(b) - shared(a)).slice(0, 5);
}
