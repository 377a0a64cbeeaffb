/**
 * Shapes of the metadata that `scripts/generate.mjs` derives from a spec's `x-o11ykit-*` extensions
 * (specs/EXTENSIONS.md). Provider packages pass their generated constants to `createApiClient`.
 */

export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE";

/** One rate-limit window: at most `requests` calls per `periodSeconds`, shared by every operation naming `bucket`. */
export interface RateLimit {
  readonly bucket: string;
  readonly requests: number;
  readonly periodSeconds: number;
}

/**
 * How a list operation pages. `cursor`: each page names the next page's URL (relative to the API
 * base, `null` on the last page) at the `nextPage` property path; the client follows its query.
 */
export interface CursorPagination {
  readonly style: "cursor";
  /** Property path of the page's items (`items`). */
  readonly items: string;
  /** Property path of the next page's URL (`metadata.pagination.nextPage`). */
  readonly nextPage: string;
}

/**
 * `offset`: pages are asked for with `limitParam`/`offsetParam` query parameters; the total may come
 * in a response header. Without `items`, the (unwrapped) payload itself is the page's list.
 */
export interface OffsetPagination {
  readonly style: "offset";
  readonly items?: string;
  readonly limitParam: string;
  readonly offsetParam: string;
  readonly totalHeader?: string;
}

export type PaginationMetadata = CursorPagination | OffsetPagination;

/** A failure the provider documents as transient for this operation, retried whatever `retrySafe` says. */
export interface RetryRule {
  readonly status: number;
  /** Retry only when the error body contains this text (case-insensitive). */
  readonly messageIncludes?: string;
}

export interface OperationMetadata {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** The path template, as in the spec (`/instances/{stack_slug}`). */
  readonly path: string;
  readonly summary?: string;
  /** True when repeating the call after an ambiguous failure (5xx, dropped connection) cannot do harm. */
  readonly retrySafe: boolean;
  /** Every window the call counts against: the spec's shared limits plus the operation's own. */
  readonly rateLimits: readonly RateLimit[];
  readonly pagination?: PaginationMetadata;
  /** Extra retryable failures (`x-o11ykit-retry-on`). */
  readonly retryOn?: readonly RetryRule[];
  /** Header in which the client sends a fresh id per call, kept across its retries. */
  readonly clientRequestIdHeader?: string;
  /** Path and query parameters the call cannot go without, checked before sending. */
  readonly requiredParams?: readonly RequiredParam[];
}

export interface RequiredParam {
  readonly in: "path" | "query";
  readonly name: string;
  readonly example?: unknown;
}

export type AuthScheme =
  | { readonly scheme: string; readonly type: "apiKey"; readonly in: "query" | "header" | "cookie"; readonly name: string }
  | { readonly scheme: string; readonly type: "http"; readonly httpScheme: string };

/** Names of the properties of a JSON envelope around every response body. */
export interface EnvelopeMetadata {
  /** Holds the payload on success. */
  readonly data: string;
  /** Holds the request id, in success and error bodies. */
  readonly requestId?: string;
  /** Holds the error object; its presence marks a failure even in a 2xx response. */
  readonly error?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

export interface ApiMetadata {
  /** Provider id, as in package names (`flashduty`). */
  readonly name: string;
  readonly title: string;
  readonly version: string;
  readonly baseUrl?: string | undefined;
  /** The spec's server URL when it has variables (`{organizationId}`); the provider's factory fills them. */
  readonly baseUrlTemplate?: string | undefined;
  /** That template with the spec's variable defaults filled in, for messages. */
  readonly baseUrlExample?: string | undefined;
  readonly auth: readonly AuthScheme[];
  readonly requestIdHeader: string | null;
  readonly envelope: EnvelopeMetadata | null;
  /** Provider error code → its usual HTTP status. */
  readonly errorCodes: Readonly<Record<string, number>>;
}

export function operationKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}
