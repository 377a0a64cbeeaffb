/**
 * `createClickStackCloudClient`: managed ClickStack through the ClickHouse Cloud API. Basic auth, the
 * `{status, requestId, result}` envelope, errors and the 10-per-10-seconds limit come from the spec;
 * the factory only fills the service's base URL from `organizationId` and `serviceId`.
 */
import { ConfigError, createProviderClient, requireSecret, type ClientOptions, type ClientPaths, type O11ykitClient, type RateLimitOverride } from "@o11ykit/core";
import { api, operations, type KnownErrorCode, type RateLimitBucket } from "./generated/cloud/metadata.js";
import type { Methods } from "./generated/cloud/methods.js";
import type { paths } from "./generated/cloud/schema.js";

const FACTORY = "createClickStackCloudClient";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ClickStackCloudPaths = ClientPaths<paths, typeof api.envelope.data>;
/**
 * The client: path-style calls (\`client.POST("/path", init)\`) and every operation as a documented
 * method (\`client.<group>.<name>(init)\`). With \`throwOnError: true\`, failures throw and \`data\` is present.
 */
export type ClickStackCloudClient<Throws extends boolean = false> = O11ykitClient<ClickStackCloudPaths, typeof operations, KnownErrorCode, Throws> & Methods<ClickStackCloudPaths, KnownErrorCode, Throws>;

export interface ClickStackCloudClientOptions extends Omit<ClientOptions, "rateLimits"> {
  /** ClickHouse Cloud API key id (the Basic-auth user). */
  keyId: string | undefined;
  /** ClickHouse Cloud API key secret (the Basic-auth password); never logged. */
  keySecret: string | undefined;
  /**
   * Organization ID (UUID): Organization → Organization details. Typed `| undefined` so
   * `process.env.X` can be passed as is; a missing or malformed value is a ConfigError naming it.
   */
  organizationId: string | undefined;
  /** Service ID (UUID): in the service's URL or details page. Checked like `organizationId`. */
  serviceId: string | undefined;
  /** Override the spec's limit (10 requests per 10 seconds per key). */
  rateLimits?: "off" | Partial<Record<RateLimitBucket, RateLimitOverride>> | undefined;
}

function uuid(value: unknown, option: string): string {
  if (typeof value !== "string" || !UUID.test(value)) {
    throw new ConfigError(
      `${FACTORY}: option \`${option}\` must be a UUID (like "7c5f0e1a-0b2d-4c1e-9f3a-5d6e7f8a9b0c"), got ${JSON.stringify(value)}; ` +
        (option === "organizationId" ? "find it under Organization → Organization details" : "find it in the service's URL or details page"),
    );
  }
  return value;
}

export function createClickStackCloudClient(options: ClickStackCloudClientOptions & { throwOnError: true }): ClickStackCloudClient<true>;
export function createClickStackCloudClient(options: ClickStackCloudClientOptions): ClickStackCloudClient;
export function createClickStackCloudClient(options: ClickStackCloudClientOptions): ClickStackCloudClient<boolean> {
  return createProviderClient<ClickStackCloudPaths, typeof operations, KnownErrorCode, ClickStackCloudClientOptions, ClickStackCloudClient<boolean>>(
    {
      factory: FACTORY,
      api,
      operations,
      credentialOptions: ["keyId", "keySecret"],
      providerOptions: ["organizationId", "serviceId"],
      example: `${FACTORY}({ keyId: process.env.CLICKHOUSE_KEY_ID, keySecret: process.env.CLICKHOUSE_KEY_SECRET, organizationId, serviceId })`,
      credential: (o) => {
        const hint = "Create an API key with the control-plane:service:manage-clickstack-api permission in the ClickHouse Cloud console (Organization → API keys).";
        const username = requireSecret(o.keyId, { factory: FACTORY, option: "keyId", hint });
        const password = requireSecret(o.keySecret, { factory: FACTORY, option: "keySecret", hint });
        uuid(o.organizationId, "organizationId");
        uuid(o.serviceId, "serviceId");
        return { username, password };
      },
      baseUrl: (o) => api.baseUrlTemplate.replace("{organizationId}", uuid(o.organizationId, "organizationId")).replace("{serviceId}", uuid(o.serviceId, "serviceId")),
    },
    options,
  );
}
