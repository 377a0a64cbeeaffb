export { createApiClient, type ApiClientSetup, type ClientOptions, type RateLimitOverride } from "./client.js";
export type { CallOptions, ClientMethod, ClientPaths, O11ykitClient } from "./types.js";
export { ApiError, ConfigError, ConnectionError, O11ykitError, TimeoutError, type OperationRef } from "./errors.js";
export { apiKeyHeaderAuth, apiKeyQueryAuth, basicAuth, bearerAuth, requireSecret, type Credential, type SecretOption } from "./auth.js";
export { LimiterRegistry, SlidingWindowLimiter, sharedLimiters } from "./rate-limiter.js";
export { backoffDelay, decideRetry, defaultRetryOptions, parseRetryAfter, type RetryOptions } from "./retry.js";
export { REDACTED, Redactor } from "./redact.js";
export { checkKnownOptions, CLIENT_OPTION_NAMES } from "./validate-options.js";
export type { ApiMetadata, AuthScheme, EnvelopeMetadata, HttpMethod, OperationMetadata, RateLimit } from "./metadata.js";
