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

type Unwrap<Content, Key extends string> = [Key] extends [never]
  ? Content
  : { [Media in keyof Content]: Content[Media] extends { [K in Key]?: infer Payload } ? Payload : Content[Media] };

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
  signal?: AbortSignal;
}

type InitParam<Init> =
  RequiredKeysOf<Init> extends never
    ? [(Init & CallOptions & { [key: string]: unknown })?]
    : [Init & CallOptions & { [key: string]: unknown }];

export type ClientMethod<Paths extends {}, Method extends HttpMethod, Code extends string = string> = <
  Path extends PathsWithMethod<Paths, Method>,
  Init extends MaybeOptionalInit<Paths[Path], Method & keyof Paths[Path]>,
>(
  url: Path,
  ...init: InitParam<Init>
) => Promise<ClientResult<Paths[Path][Method & keyof Paths[Path]], Init, Code>>;

type SuccessBody<Operation> =
  ResponseObjectMap<Operation> extends infer R extends Record<string | number, any> ? SuccessResponse<R, MediaType> : never;

/**
 * What a call resolves to: openapi-fetch's `{data, error, response}`, with `error` always an ApiError
 * (every non-2xx answer, and every error object in a 2xx body, becomes one).
 */
export type ClientResult<Operation, Init, Code extends string = string> =
  | {
      data: ParseAsResponse<Readable<SuccessBody<Operation>>, Init>;
      error?: never;
      response: Response;
    }
  | { data?: never; error: ApiError<Code>; response: Response };

/** Paths of GET operations whose metadata declares a pagination style. */
export type PaginatedPath<Operations> = {
  [K in keyof Operations]: Operations[K] extends { readonly method: "GET"; readonly path: infer P; readonly pagination: object } ? P : never;
}[keyof Operations];

type PaginationOf<Operations, Path> = {
  [K in keyof Operations]: Operations[K] extends { readonly path: Path; readonly pagination: infer P } ? P : never;
}[keyof Operations];

type ListOf<Body, Pagination> = Pagination extends { readonly items: infer Key extends keyof Body } ? Body[Key] : Body;

/** The element type of a paginated operation's items list (the payload itself when no `items` path is given). */
export type PageItem<Paths, Operations, Path extends keyof Paths> =
  Paths[Path] extends { get: infer Op }
    ? ListOf<SuccessBody<Op>, PaginationOf<Operations, Path>> extends ReadonlyArray<infer Item> | undefined
      ? Readable<Item>
      : never
    : never;

/** The client: openapi-fetch's call style, typed by the spec, with o11ykit's runtime behind it. */
export interface O11ykitClient<Paths extends {}, Operations = {}, Code extends string = string> {
  /**
   * Every item of a paginated list, page after page, as an async iterator (`for await`). Each page is
   * a normal call (rate limits, retries); a failed page throws its ApiError. Never truncates.
   */
  paginate<Path extends PaginatedPath<Operations> & PathsWithMethod<Paths, "get">>(
    url: Path,
    ...init: InitParam<MaybeOptionalInit<Paths[Path], "get" & keyof Paths[Path]>>
  ): AsyncIterableIterator<PageItem<Paths, Operations, Path>>;
  GET: ClientMethod<Paths, "get", Code>;
  PUT: ClientMethod<Paths, "put", Code>;
  POST: ClientMethod<Paths, "post", Code>;
  DELETE: ClientMethod<Paths, "delete", Code>;
  PATCH: ClientMethod<Paths, "patch", Code>;
  /** Register openapi-fetch middleware (runs before o11ykit's transport). */
  use(...middleware: Middleware[]): void;
  eject(...middleware: Middleware[]): void;
}
