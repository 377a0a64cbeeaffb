/**
 * `createClickStackCloudClient`: managed ClickStack through the ClickHouse Cloud API. Basic auth, the
 * `{status, requestId, result}` envelope, errors, the 10-per-10-seconds limit and the service's URL
 * (filled from `organizationId` and `serviceId`, each checked to be a UUID) come from the spec.
 */
import { createProviderClient, requireSecret, serverUrlFromOptions, type ClientOptions, type ClientPaths, type O11ykitClient, type RateLimitOverride } from "@o11ykit/core";
import { api, operations, type KnownErrorCode, type RateLimitBucket } from "./generated/cloud/metadata.js";
import type { Methods } from "./generated/cloud/methods.js";
import type { paths } from "./generated/cloud/schema.js";

const FACTORY = "createClickStackCloudClient";

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
   * `process.env.X` can be passed as is; a missing or malformed value (checked against the spec's
   * server variable) is a ConfigError naming it.
   */
  organizationId: string | undefined;
  /** Service ID (UUID): in the service's URL or details page. Checked like `organizationId`. */
  serviceId: string | undefined;
  /** Override the spec's limit (10 requests per 10 seconds per key). */
  rateLimits?: "off" | Partial<Record<RateLimitBucket, RateLimitOverride>> | undefined;
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
      // organizationId and serviceId: the variables of the spec's server URL.
      providerOptions: Object.keys(api.serverVariables),
      example: `${FACTORY}({ keyId: process.env.CLICKHOUSE_KEY_ID, keySecret: process.env.CLICKHOUSE_KEY_SECRET, organizationId, serviceId })`,
      credential: (o) => {
        const hint = "Create an API key with the control-plane:service:manage-clickstack-api permission in the ClickHouse Cloud console (Organization → API keys).";
        const username = requireSecret(o.keyId, { factory: FACTORY, option: "keyId", hint });
        const password = requireSecret(o.keySecret, { factory: FACTORY, option: "keySecret", hint });
        return { username, password };
      },
      baseUrl: (o) => serverUrlFromOptions(FACTORY, api, o),
    },
    options,
  );
}
