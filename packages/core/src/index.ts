export {
  createApiClient,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT_MS,
  type ApiClientSetup,
  type ClientOptions,
  type RateLimitOverride,
} from "./client.js";
export { DEFAULT_MAX_PAGES } from "./paginate.js";
export type { FetchFunction } from "./transport.js";
export { createProviderClient, type ProviderSetup } from "./provider.js";
export { serverUrlFromOptions } from "./server-url.js";
export type {
  CallOptions,
  ClientMethod,
  ClientPaths,
  ClientResult,
  O11ykitClient,
  OperationMethod,
  PageItem,
  PaginatedMethod,
  PaginatedPath,
  PaginateOptions,
  WaiterName,
  WaitForOptions,
} from "./types.js";
export {
  ApiError,
  ConfigError,
  ConnectionError,
  O11ykitError,
  PaginationError,
  RateLimitError,
  RedirectError,
  ResponseTooLargeError,
  TimeoutError,
  WaitTimeoutError,
  type OperationRef,
} from "./errors.js";
export { apiKeyHeaderAuth, apiKeyQueryAuth, basicAuth, bearerAuth, requireSecret, type Credential, type SecretOption } from "./auth.js";
export {
  acquireAll,
  fingerprint,
  LimiterCache,
  LimiterRegistry,
  RateLimitWaitError,
  SlidingWindowLimiter,
  releaseQueued,
  sharedLimiters,
  type ForgettableLimiter,
  type LimiterStore,
  type RateLimiter,
  type Release,
} from "./rate-limiter.js";
// For RateLimiter implementations (as @o11ykit/redis's): a line of waiters that aborted callers leave
// in O(1), with one abort listener per signal however many waiters share it.
export { WaitQueue, type Budgeted, type QueuePlace } from "./wait-queue.js";
export { backoffDelay, decideRetry, defaultRetryOptions, parseRetryAfter, type RetryOptions } from "./retry.js";
export { REDACTED, Redactor } from "./redact.js";
export { checkKnownOptions, CLIENT_OPTION_NAMES } from "./validate-options.js";
export type {
  ApiMetadata,
  AuthScheme,
  CompactOperation,
  CursorPagination,
  EnvelopeMetadata,
  ErrorRefinement,
  HttpMethod,
  OffsetPagination,
  OperationMetadata,
  PagePagination,
  PaginationMetadata,
  RateLimit,
  RetryRule,
  ServerVariable,
  TokenPagination,
  WaitMetadata,
} from "./metadata.js";
export { expandOperation, expandOperations, operationKey } from "./metadata.js";
export type { Logger, LogLevel } from "./log.js";
