/**
 * Type-level view of a generated `paths` interface as an o11ykit client sees it: success bodies
 * unwrapped from the provider's envelope (as the client unwraps them at run time), and `error`
 * always an ApiError. Derived from the generated types only; nothing is restated by hand.
 */
import type { MaybeOptionalInit, Middleware, ParseAsResponse } from "openapi-fetch";
import type {
  HttpMethod,
  MediaType,
  OkStatus,
  PathsWithMethod,
  Readable,
  RequiredKeysOf,
  ResponseObjectMap,
  SuccessResponse,
} from "openapi-typescript-helpers";
import type { ApiError } from "./errors.js";
import type { PaginateOptions } from "./paginate.js";
import type { WaitForOptions } from "./wait.js";

export type { PaginateOptions, WaitForOptions };

type Unwrap<Content, Key extends string> = [Key] extends [never]
  ? Content
  : {
      // Only JSON bodies carry the envelope; a CSV export's `string` stays a string (a primitive would
      // otherwise match an all-optional `{ data? }` and lose its type).
      [Media in keyof Content]: Media extends `${string}json${string}`
        ? Content[Media] extends object
          ? Content[Media] extends { [K in Key]?: infer Payload }
            ? Payload
            : Content[Media]
          : Content[Media]
        : Content[Media];
    };

type MapResponse<Response, Content> = Response extends { content: unknown } ? Omit<Response, "content"> & { content: Content } : Response;

type MapResponses<Responses, Key extends string> = {
  [Status in keyof Responses]: Status extends OkStatus
    ? MapResponse<Responses[Status], Responses[Status] extends { content: infer C } ? Unwrap<C, Key> : never>
    : Responses[Status];
};

type MapOperation<Op, Key extends string> = [Op] extends [never]
  ? never
  : Op extends { responses: infer R }
    ? { [K in keyof Op]: K extends "responses" ? MapResponses<R, Key> : Op[K] }
    : Op;

/** `Paths` with success envelopes (payload under `Key`) unwrapped. */
export type ClientPaths<Paths, Key extends string = never> = {
  [Path in keyof Paths]: { [Method in keyof Paths[Path]]: MapOperation<Paths[Path][Method], Key> };
};

/** Options every call accepts besides openapi-fetch's own. */
export interface CallOptions {
  /** Per-attempt timeout for this call (ms). */
  timeoutMs?: number;
  /** Retries for this call, after the first attempt. */
  maxRetries?: number;
  /** Longest single wait (Retry-After or backoff) this call accepts before giving up (ms). */
  maxRetryWaitMs?: number;
  /** Aborts the call, including any rate-limit or retry wait. */
  signal?: AbortSignal | undefined;
  /** Largest response body read for this call, in bytes (default: the client's, 32 MiB). */
  maxResponseBytes?: number | undefined;
  /** Same-origin redirects followed per attempt (default: the client's, 5). */
  maxRedirects?: number | undefined;
}


/**
 * The call's options, exactly: a key that is neither openapi-fetch's nor o11ykit's (`timeout`,
 * `retries`) is typed `never`, so a typo fails to compile instead of running with the defaults.
 */
type Exact<Init, Allowed> = Init & { [K in Exclude<keyof Init, keyof Allowed>]: never };

type InitParam<Init, Allowed = Init> =
  RequiredKeysOf<Init> extends never
    ? [(Exact<Init, Allowed & CallOptions> & CallOptions)?]
    : [Exact<Init, Allowed & CallOptions> & CallOptions];

type IsUnion<T, All = T> = T extends unknown ? ([All] extends [T] ? false : true) : never;

/**
 * True when `Path` is every path the method has, and there are several: what TypeScript infers for a
 * path that is not one of the spec's. (A union of a few paths, given on purpose, is not.)
 */
type IsEveryPath<Paths extends {}, Method extends HttpMethod, Path> = [PathsWithMethod<Paths, Method>] extends [Path] ? IsUnion<Path> : false;

/**
 * The init of a call to `Path`. For a path the spec does not have, checking the init against every
 * path at once took seconds on a large API (5 million type instantiations for Flashduty) and ended in
 * "type instantiation is excessively deep" instead of an error naming the path; there is then no init
 * to check, and the call fails on its path alone.
 */
type InitAt<Paths extends {}, Method extends HttpMethod, Path extends keyof Paths> =
  true extends IsEveryPath<Paths, Method, Path> ? never : MaybeOptionalInit<Paths[Path], Method & keyof Paths[Path]>;

export type ClientMethod<Paths extends {}, Method extends HttpMethod, Code extends string = string, Throws extends boolean = false> = <
  Path extends PathsWithMethod<Paths, Method>,
  Init extends InitAt<Paths, Method, Path>,
>(
  url: Path,
  ...init: InitParam<Init, InitAt<Paths, Method, Path>>
) => Promise<ClientResult<Paths[Path][Method & keyof Paths[Path]], Init, Code, Throws>>;

/**
 * One operation as a method (`client.incidents.list(init)`): the path-style call with the path and
 * method fixed. Generated `Methods` interfaces give each one its documentation.
 */
export type OperationMethod<Paths extends {}, Path extends string, Method extends HttpMethod, Code extends string = string, Throws extends boolean = false> = <
  Init extends MaybeOptionalInit<PathItem<Paths, Path>, Method & keyof PathItem<Paths, Path>>,
>(
  ...init: InitParam<Init, MaybeOptionalInit<PathItem<Paths, Path>, Method & keyof PathItem<Paths, Path>>>
) => Promise<ClientResult<PathItem<Paths, Path>[Method & keyof PathItem<Paths, Path>], Init, Code, Throws>>;

/** The path item at `Path` (checked where the generated Methods interface is instantiated). */
type PathItem<Paths, Path extends string> = Path extends keyof Paths ? Paths[Path] : never;

type SuccessBody<Operation> =
  ResponseObjectMap<Operation> extends infer R extends Record<string | number, any> ? SuccessResponse<R, MediaType> : never;

/**
 * What a call resolves to: openapi-fetch's `{data, error, response}`, with `error` always an ApiError
 * (every non-2xx answer, and every error object in a 2xx body, becomes one).
 */
export type ClientResult<Operation, Init, Code extends string = string, Throws extends boolean = false> = Throws extends true
  ? { data: ParseAsResponse<Readable<SuccessBody<Operation>>, Init>; error?: never; response: Response }
  :
      | {
          data: ParseAsResponse<Readable<SuccessBody<Operation>>, Init>;
          error?: never;
          response: Response;
        }
      | { data?: never; error: ApiError<Code>; response: Response };

/** Method and path of an operation, from its metadata key (`POST /incident/list`). */
type KeyParts<K> = K extends `${infer M} ${infer P}` ? { method: Lowercase<M>; path: P } : never;

type PaginatedOperation<Operations> = {
  [K in keyof Operations]: Operations[K] extends { readonly pagination: object } ? KeyParts<K> & { pagination: Operations[K]["pagination"] } : never;
}[keyof Operations];

/** Paths of the operations whose metadata declares a pagination style. */
export type PaginatedPath<Operations> = PaginatedOperation<Operations>["path"];

/** The (lower-case) method of the paginated operation at `Path`. */
export type PaginatedMethod<Operations, Path> = Extract<PaginatedOperation<Operations>, { path: Path }>["method"];

type ListOf<Body, Pagination> = Pagination extends { readonly items: infer Key extends keyof Body } ? Body[Key] : Body;

type OperationAt<Paths, Operations, Path extends keyof Paths> = Paths[Path][PaginatedMethod<Operations, Path> & keyof Paths[Path]];

/** The element type of a paginated operation's items list (the payload itself when no `items` path is given). */
export type PageItem<Paths, Operations, Path extends keyof Paths> =
  ListOf<SuccessBody<OperationAt<Paths, Operations, Path>>, Extract<PaginatedOperation<Operations>, { path: Path }>["pagination"]> extends
    | ReadonlyArray<infer Item>
    | null
    | undefined
    ? Readable<Item>
    : never;

/** Names of the spec's waiters (`x-o11ykit-wait`). */
export type WaiterName<Operations> = {
  [K in keyof Operations]: Operations[K] extends { readonly wait: { readonly name: infer N extends string } } ? N : never;
}[keyof Operations];

type WaiterOperation<Operations, Name> = {
  [K in keyof Operations]: Operations[K] extends { readonly wait: { readonly name: Name } } ? KeyParts<K> : never;
}[keyof Operations];

type WaiterInit<Paths, Operations, Name> =
  WaiterOperation<Operations, Name> extends { path: infer P extends keyof Paths; method: infer M extends string }
    ? MaybeOptionalInit<Paths[P], M & keyof Paths[P]> & CallOptions
    : never;

type WaiterResult<Paths, Operations, Name> =
  WaiterOperation<Operations, Name> extends { path: infer P extends keyof Paths; method: infer M extends string }
    ? Readable<SuccessBody<Paths[P][M & keyof Paths[P]]>>
    : never;


/** The client: openapi-fetch's call style, typed by the spec, with o11ykit's runtime behind it. */
export interface O11ykitClient<Paths extends {}, Operations = {}, Code extends string = string, Throws extends boolean = false> {
  /**
   * Every item of a paginated list, page after page, as an async iterator (`for await`). Each page is
   * a normal call (rate limits, retries); a failed page throws its ApiError. Never truncates.
   */
  paginate<Path extends PaginatedPath<Operations> & keyof Paths>(
    url: Path,
    ...init: InitParam<MaybeOptionalInit<Paths[Path], PaginatedMethod<Operations, Path> & keyof Paths[Path]> & PaginateOptions>
  ): AsyncIterableIterator<PageItem<Paths, Operations, Path>>;
  /**
   * Polls the operation that declares the waiter `name` until the resource is ready, and resolves with
   * its payload; bounded by a deadline (a WaitTimeoutError), abortable, with progress reported.
   */
  waitFor<Name extends WaiterName<Operations>>(
    name: Name,
    init?: WaiterInit<Paths, Operations, Name>,
    options?: WaitForOptions,
  ): Promise<WaiterResult<Paths, Operations, Name>>;
  GET: ClientMethod<Paths, "get", Code, Throws>;
  PUT: ClientMethod<Paths, "put", Code, Throws>;
  POST: ClientMethod<Paths, "post", Code, Throws>;
  DELETE: ClientMethod<Paths, "delete", Code, Throws>;
  PATCH: ClientMethod<Paths, "patch", Code, Throws>;
  /** Register openapi-fetch middleware (runs before o11ykit's transport). */
  use(...middleware: Middleware[]): void;
  eject(...middleware: Middleware[]): void;
}
