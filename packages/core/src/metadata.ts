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

/**
 * `page`: numbered pages from 1 (`pageParam`, `limitParam`), in the query or the JSON body. The walk
 * ends when `hasMore` is false, at `total`, or on a short or empty page; `maxResults` is the server's
 * ceiling on page × limit, which the walk stops short of with an error that says how to narrow.
 */
export interface PagePagination {
  readonly style: "page";
  readonly in: "body" | "query";
  readonly pageParam: string;
  readonly limitParam: string;
  readonly items: string;
  readonly hasMore?: string;
  readonly total?: string;
  readonly maxResults?: number;
  readonly maxLimit?: number;
}

/** `token`: each page returns an opaque token for the next (`nextToken`), sent back in `tokenParam`. */
export interface TokenPagination {
  readonly style: "token";
  readonly in: "body" | "query";
  readonly tokenParam: string;
  readonly nextToken: string;
  readonly items: string;
  readonly limitParam?: string;
  readonly hasMore?: string;
  readonly total?: string;
  readonly maxLimit?: number;
}

export type PaginationMetadata = CursorPagination | OffsetPagination | PagePagination | TokenPagination;

/** A spec-declared waiter (`x-o11ykit-wait`): poll the operation until the resource is ready. */
export interface WaitMetadata {
  readonly name: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly pendingStatuses?: readonly number[];
  readonly readyWhen?: { readonly path: string; readonly equals: readonly unknown[] };
}

/** A failure the provider documents as transient for this operation, retried whatever `retrySafe` says. */
export interface RetryRule {
  readonly status: number;
  /** Retry only when the error body contains this text (case-insensitive). */
  readonly messageIncludes?: string;
}

/**
 * An operation as the generated metadata states it, compactly: method and path are in its key
 * (`POST /incident/list`), `rateLimits` lists only limits beyond the API's own, false flags are left
 * out, and `call` names its method (`incidents.list`). `expandOperation` turns it into OperationMetadata.
 */
export interface CompactOperation {
  readonly operationId: string;
  /** The operation's method on the client, `group.name`. */
  readonly call?: string;
  /** True when repeating the call after an ambiguous failure (5xx, dropped connection) cannot do harm. */
  readonly retrySafe?: boolean;
  /** Limits beyond the API's own (the expanded form holds both). */
  readonly rateLimits?: readonly RateLimit[];
  readonly pagination?: PaginationMetadata;
  /** Extra retryable failures (`x-o11ykit-retry-on`). */
  readonly retryOn?: readonly RetryRule[];
  /** Header in which the client sends a fresh id per call, kept across its retries. */
  readonly clientRequestIdHeader?: string;
  /** Path and query parameters the call cannot go without, checked before sending. */
  readonly requiredParams?: readonly RequiredParam[];
  /** `text` when the success response is not JSON (a CSV export): the caller gets the text. */
  readonly responseType?: "text";
  /** True when the success response declares no body, so an empty answer is expected. */
  readonly emptyOk?: boolean;
  /** The answer is not wrapped in the API's envelope (`x-o11ykit-envelope: none`). */
  readonly noEnvelope?: boolean;
  /** This operation can be polled until a resource is ready. */
  readonly wait?: WaitMetadata;
}

/** An operation as the runtime uses it: the compact entry with its key's method and path, and every limit. */
export interface OperationMetadata extends Omit<CompactOperation, "retrySafe" | "rateLimits"> {
  readonly method: HttpMethod;
  /** The path template, as in the spec (`/instances/{stack_slug}`). */
  readonly path: string;
  readonly retrySafe: boolean;
  /**
   * Every window the call counts against, in the order it takes their slots, one after another
   * (acquireAll), holding each while it waits for the next. The operation's own windows come first:
   * holding a slot of a window other operations share would stall them while the call waits, so a
   * bulk export queued for its own per-minute budget holds none of the account's (taken the other
   * way round, 50 queued exports could hold every per-second slot of a Flashduty account for up to a
   * minute). Waiting for an API-wide window while holding the operation's own slots delays only
   * calls that need that window too. Within each group, longer periods first (a slot of a short
   * window is then held only for a short wait), then by name. The order comes from the spec alone
   * (lint holds each bucket to one window, on the root or on operations), so every caller sharing two
   * limiters takes them in the same order and no two can wait for each other.
   */
  readonly rateLimits: readonly RateLimit[];
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
  /** Error codes that mark a success (Flashduty may send `error: {code: "OK"}` with its data). */
  readonly successCodes?: readonly string[];
}

/** A failure the provider reports as `code` (at `status`) whose message identifies it more precisely, as `as`. */
export interface ErrorRefinement {
  readonly status: number;
  readonly code?: string;
  readonly messageIncludes: string;
  readonly as: string;
}

export interface ServerVariable {
  readonly description?: string;
  /** An anchored regular expression (Unicode mode) the value must match. */
  readonly pattern?: string;
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
  /**
   * The template's variables: where to find each value (`description`) and what it must look like
   * (`pattern`, from `x-o11ykit-pattern`). A factory takes each from the option of the same name.
   */
  readonly serverVariables?: Readonly<Record<string, ServerVariable>> | undefined;
  readonly auth: readonly AuthScheme[];
  readonly requestIdHeader: string | null;
  readonly envelope: EnvelopeMetadata | null;
  /** Limits every operation counts against (`x-o11ykit-rate-limits` on the document). */
  readonly rateLimits?: readonly RateLimit[];
  /** Provider error code → its usual HTTP status. */
  readonly errorCodes: Readonly<Record<string, number>>;
  /** Finer codes for failures reported under one broad code (`x-o11ykit-error-refinements`). */
  readonly errorRefinements?: readonly ErrorRefinement[];
}

export function operationKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

/** The full metadata of one operation, from its key and compact entry. */
export function expandOperation(api: ApiMetadata, key: string, compact: CompactOperation): OperationMetadata {
  const space = key.indexOf(" ");
  return {
    ...compact,
    method: key.slice(0, space) as HttpMethod,
    path: key.slice(space + 1),
    retrySafe: compact.retrySafe === true,
    // In the order a call takes its slots: see OperationMetadata.rateLimits.
    rateLimits: [...longestFirst(compact.rateLimits), ...longestFirst(api.rateLimits)],
  };
}

/** Windows with the longest period first, then by bucket name: one order for every operation. */
function longestFirst(limits: readonly RateLimit[] | undefined): RateLimit[] {
  return [...(limits ?? [])].sort((a, b) => b.periodSeconds - a.periodSeconds || a.bucket.localeCompare(b.bucket));
}

const expandedTables = new WeakMap<object, Readonly<Record<string, OperationMetadata>>>();

/**
 * Every operation expanded, once per generated table (shared by all clients of a provider). Entries
 * that are already full (tests, hand-written metadata) pass through, their windows in the order given.
 */
export function expandOperations(api: ApiMetadata, table: Readonly<Record<string, CompactOperation | OperationMetadata>>): Readonly<Record<string, OperationMetadata>> {
  let expanded = expandedTables.get(table);
  if (!expanded) {
    expanded = Object.fromEntries(
      Object.entries(table).map(([key, op]) => [key, "method" in op && "path" in op ? (op as OperationMetadata) : expandOperation(api, key, op)]),
    );
    expandedTables.set(table, expanded);
  }
  return expanded;
}

const indexes = new WeakMap<object, ReadonlyMap<string, ReadonlyMap<string, OperationMetadata>>>();

/**
 * An expanded table by method, then path. A call looks its operation up by the path string it was
 * given, which is usually a literal whose hash the engine keeps; a "METHOD path" key would be a new
 * string to build and hash on every call.
 */
export function operationIndex(table: Readonly<Record<string, OperationMetadata>>): ReadonlyMap<string, ReadonlyMap<string, OperationMetadata>> {
  let index = indexes.get(table);
  if (!index) {
    const byMethod = new Map<string, Map<string, OperationMetadata>>();
    for (const op of Object.values(table)) {
      let paths = byMethod.get(op.method);
      if (!paths) byMethod.set(op.method, (paths = new Map()));
      paths.set(op.path, op);
    }
    index = byMethod;
    indexes.set(table, index);
  }
  return index;
}
