// Managed (ClickHouse Cloud) and open-source ClickStack share their resource types: the schemas are
// written once in specs/clickstack/shared and both generated type sets are structurally identical,
// so the top-level types below fit either client. Deployment-specific types are under `cloud`/`oss`.
export { createClickStackCloudClient, type ClickStackCloudClient, type ClickStackCloudClientOptions, type ClickStackCloudPaths } from "./cloud.js";
export { createClickStackClient, type ClickStackClient, type ClickStackClientOptions, type ClickStackPaths } from "./oss.js";
export type {
  AggFn,
  AlertInterval,
  AlertState,
  AlertThreshold,
  AlertSource,
  Dashboard,
  DashboardInput,
  DashboardValidation,
  SelectItem,
  Source,
  SourceInput,
  Tile,
  TileConfig,
  TileInput,
  Webhook,
} from "./generated/oss/schema.js";
export type * as cloud from "./generated/cloud/schema.js";
export type * as oss from "./generated/oss/schema.js";
export * as cloudMetadata from "./generated/cloud/metadata.js";
export * as ossMetadata from "./generated/oss/metadata.js";
export { ApiError, ConfigError, ConnectionError, O11ykitError, RateLimitError, TimeoutError } from "@o11ykit/core";
