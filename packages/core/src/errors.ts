/**
 * The errors o11ykit produces. Every one says which operation failed and never carries a secret
 * (URLs and messages pass through the client's Redactor before they get here).
 */

export interface OperationRef {
  readonly provider: string;
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
}

function describe(op: OperationRef | undefined): string {
  return op ? `${op.provider} ${op.operationId} (${op.method} ${op.path})` : "o11ykit";
}

/** Base class: `instanceof O11ykitError` catches everything the toolkit throws or returns. */
export class O11ykitError extends Error {
  override name = "O11ykitError";
  readonly operation: OperationRef | undefined;

  constructor(message: string, options: { operation?: OperationRef; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.operation = options.operation;
  }
}

/** Invalid client options or call options; the message names the option and how to fix it. */
export class ConfigError extends O11ykitError {
  override name = "ConfigError";
}

export interface ApiErrorDetails {
  operation?: OperationRef;
  /** Effective status: the wire status, or the provider code's usual status when an error arrived in a 2xx body. */
  status: number;
  /** The HTTP status actually received. */
  httpStatus: number;
  code: string | undefined;
  /** The code exactly as the provider sent it, when `code` is a finer one from the spec. */
  providerCode?: string | undefined;
  providerMessage: string | undefined;
  requestId: string | undefined;
  /** Redacted URL of the call. */
  url: string;
  attempts: number;
  /** Set when the server asked to wait longer than the caller's budget, so the client gave up instead. */
  retryAfterMs?: number;
  retryBudgetMs?: number;
  /** The provider's error body, as received (JSON value or text). */
  body: unknown;
}

/**
 * The provider answered with an error. Returned as `error` from every client call. `Code` is the
 * provider's documented error codes (so editors complete them); other codes still come through.
 */
export class ApiError<Code extends string = string> extends O11ykitError {
  override name = "ApiError";
  readonly status: number;
  readonly httpStatus: number;
  readonly code: Code | (string & {}) | undefined;
  /** The code as the provider sent it (`code` may be a finer one the spec derives from the message). */
  readonly providerCode: string | undefined;
  readonly providerMessage: string | undefined;
  readonly requestId: string | undefined;
  readonly url: string;
  readonly attempts: number;
  readonly retryAfterMs: number | undefined;
  readonly body: unknown;

  constructor(details: ApiErrorDetails) {
    super(ApiError.#message(details), { operation: details.operation });
    this.status = details.status;
    this.httpStatus = details.httpStatus;
    this.code = details.code;
    this.providerCode = details.providerCode ?? details.code;
    this.providerMessage = details.providerMessage;
    this.requestId = details.requestId;
    this.url = details.url;
    this.attempts = details.attempts;
    this.retryAfterMs = details.retryAfterMs;
    this.body = details.body;
  }

  /** True for 429 and rate-limit codes. */
  get isRateLimited(): boolean {
    return this.status === 429;
  }

  static #message(d: ApiErrorDetails): string {
    const what = [String(d.status), d.code].filter(Boolean).join(" ");
    let message = `${describe(d.operation)} failed: ${what}`;
    if (d.providerMessage) message += `: ${d.providerMessage}`;
    if (d.httpStatus !== d.status) message += ` (the error arrived in an HTTP ${d.httpStatus} body)`;
    if (d.retryAfterMs !== undefined && d.retryBudgetMs !== undefined) {
      message +=
        `. The server asked to retry after ${Math.ceil(d.retryAfterMs / 1000)} s, longer than this call's ` +
        `retry budget of ${Math.ceil(d.retryBudgetMs / 1000)} s, so the client gave up instead of waiting; ` +
        `raise \`maxRetryWaitMs\` to wait, or try later`;
    } else if (d.attempts > 1) {
      message += ` (after ${d.attempts} attempts)`;
    }
    if (d.requestId) message += ` [request id ${d.requestId}]`;
    return message;
  }
}

/** An attempt took longer than `timeoutMs` and no retry was left (or allowed). */
export class TimeoutError extends O11ykitError {
  override name = "TimeoutError";
  readonly timeoutMs: number;
  readonly attempts: number;

  constructor(operation: OperationRef | undefined, timeoutMs: number, attempts: number) {
    super(
      `${describe(operation)} timed out after ${timeoutMs} ms` +
        (attempts > 1 ? ` (attempt ${attempts})` : "") +
        `; raise \`timeoutMs\` on the client or the call if the operation is legitimately slow`,
      { operation },
    );
    this.timeoutMs = timeoutMs;
    this.attempts = attempts;
  }
}

/**
 * The client did not send the call: the spec's rate limit is used up for longer than the call may
 * wait (`maxRetryWaitMs`). Nothing reached the server.
 */
export class RateLimitError extends O11ykitError {
  override name = "RateLimitError";
  readonly waitMs: number;

  constructor(operation: OperationRef | undefined, cause: Error & { waitMs: number }) {
    super(`${describe(operation)} was not sent: ${cause.message}`, { operation });
    this.waitMs = cause.waitMs;
  }
}

/** The request could not be sent or its response not received (DNS, refused, reset). */
export class ConnectionError extends O11ykitError {
  override name = "ConnectionError";
  readonly url: string;
  readonly attempts: number;

  constructor(operation: OperationRef | undefined, url: string, attempts: number, cause: unknown) {
    const reason = causeText(cause);
    super(`${describe(operation)} could not reach ${url}: ${reason}` + (attempts > 1 ? ` (after ${attempts} attempts)` : ""), {
      operation,
      cause,
    });
    this.url = url;
    this.attempts = attempts;
  }
}

/**
 * The response was larger than the call's `maxResponseBytes`; reading stopped at the cap (or before
 * reading, when `Content-Length` said so), so memory stays bounded. Not retried.
 */
export class ResponseTooLargeError extends O11ykitError {
  override name = "ResponseTooLargeError";
  readonly limitBytes: number;
  readonly status: number;

  constructor(operation: OperationRef | undefined, limitBytes: number, status: number, declaredBytes?: number) {
    super(
      `${describe(operation)}: the HTTP ${status} response is larger than the ${limitBytes}-byte limit` +
        (declaredBytes === undefined ? "" : ` (Content-Length: ${declaredBytes})`) +
        "; raise `maxResponseBytes` on the client or the call if such a large answer is expected, or narrow the query",
      { operation },
    );
    this.limitBytes = limitBytes;
    this.status = status;
  }
}

/**
 * The server redirected the call somewhere the client will not follow: to another origin (the
 * credential would go with it), or in a chain longer than the hop limit. `location` is redacted.
 */
export class RedirectError extends O11ykitError {
  override name = "RedirectError";
  readonly status: number;
  readonly location: string;

  constructor(operation: OperationRef | undefined, status: number, location: string, reason: "cross-origin" | "too-many" | "no-location", hops: number) {
    const why =
      reason === "cross-origin"
        ? `to another origin (${location}); the client follows redirects only within the API's origin, so the credential never leaves it. Point \`baseUrl\` at the API's real address`
        : reason === "too-many"
          ? `more than ${hops} times (last to ${location}); stopping instead of following a redirect loop`
          : "without a usable Location header";
    super(`${describe(operation)}: the server answered HTTP ${status}, redirecting ${why}`, { operation });
    this.status = status;
    this.location = location;
  }
}

/** `paginate()` stopped: a page repeated one already read, a cap was reached, or the server's ceiling on deep pages. */
export class PaginationError extends O11ykitError {
  override name = "PaginationError";
  readonly pages: number;

  constructor(operation: OperationRef | undefined, pages: number, reason: string) {
    super(`${describe(operation)}: pagination stopped after ${pages} page(s): ${reason}`, { operation });
    this.pages = pages;
  }
}

/** `waitFor()` reached its deadline before the resource was ready. */
export class WaitTimeoutError extends O11ykitError {
  override name = "WaitTimeoutError";
  readonly waiter: string;
  readonly polls: number;
  readonly elapsedMs: number;

  constructor(operation: OperationRef | undefined, waiter: string, timeoutMs: number, polls: number, elapsedMs: number, last: string) {
    super(
      `${describe(operation)}: \`${waiter}\` was still not ready after ${Math.round(elapsedMs / 1000)} s (${polls} polls, ` +
        `deadline ${Math.round(timeoutMs / 1000)} s); the last answer was ${last}. Pass a longer \`timeoutMs\` to wait more`,
      { operation },
    );
    this.waiter = waiter;
    this.polls = polls;
    this.elapsedMs = elapsedMs;
  }
}

/** Best-effort one-line reason from undici's nested `fetch failed` errors. */
export function causeText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const e = current as { message?: string; code?: string; cause?: unknown };
    const text = [e.code, e.message].filter(Boolean).join(" ");
    if (text && !parts.includes(text)) parts.push(text);
    current = e.cause;
  }
  return parts.join(": ") || String(error);
}

/** Network error codes that prove the request never reached the server, so any operation may be retried. */
export function neverSent(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: string }).code;
    if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
