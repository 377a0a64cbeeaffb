export { createGrafanaCloudClient, type GrafanaCloudClient, type GrafanaCloudClientOptions } from "./client.js";
export { api, operations, type KnownErrorCode, type OperationKey, type RateLimitBucket } from "./generated/metadata.js";
export type * from "./generated/schema.js";
export { ApiError, ConfigError, ConnectionError, O11ykitError, RateLimitError, TimeoutError } from "@o11ykit/core";
