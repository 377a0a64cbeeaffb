/**
 * `createGrafanaCloudClient`: the generated Grafana Cloud types and metadata handed to the o11ykit core.
 * Bearer auth, error codes, the access-policy rate limit, pagination, x-request-id and the retryable
 * plugin conflicts all come from the spec through ./generated/metadata.ts.
 */
import { createProviderClient, requireSecret, type ClientOptions, type O11ykitClient, type RateLimitOverride } from "@o11ykit/core";
import { api, operations, type KnownErrorCode, type RateLimitBucket } from "./generated/metadata.js";
import type { Methods } from "./generated/methods.js";
import type { paths } from "./generated/schema.js";

const FACTORY = "createGrafanaCloudClient";

/**
 * The client: path-style calls (\`client.POST("/path", init)\`) and every operation as a documented
 * method (\`client.<group>.<name>(init)\`). With \`throwOnError: true\`, failures throw and \`data\` is present.
 */
export type GrafanaCloudClient<Throws extends boolean = false> = O11ykitClient<paths, typeof operations, KnownErrorCode, Throws> & Methods<paths, KnownErrorCode, Throws>;

export interface GrafanaCloudClientOptions extends Omit<ClientOptions, "rateLimits"> {
  /** Cloud access policy token (`glc_…`) with the scopes your calls need. Sent as a Bearer token; never logged. */
  token: string | undefined;
  /** Override the spec's limits (access policies: 600 requests per hour). */
  rateLimits?: "off" | Partial<Record<RateLimitBucket, RateLimitOverride>> | undefined;
}

export function createGrafanaCloudClient(options: GrafanaCloudClientOptions & { throwOnError: true }): GrafanaCloudClient<true>;
export function createGrafanaCloudClient(options: GrafanaCloudClientOptions): GrafanaCloudClient;
export function createGrafanaCloudClient(options: GrafanaCloudClientOptions): GrafanaCloudClient<boolean> {
  return createProviderClient<paths, typeof operations, KnownErrorCode, GrafanaCloudClientOptions, GrafanaCloudClient<boolean>>(
    {
      factory: FACTORY,
      api,
      operations,
      credentialOptions: ["token"],
      example: `${FACTORY}({ token: process.env.GRAFANA_CLOUD_TOKEN })`,
      credential: (o) =>
        requireSecret(o.token, {
          factory: FACTORY,
          option: "token",
          hint: `Create an access policy token in the Grafana Cloud portal (Administration → Cloud access policies) and pass it, e.g. ${FACTORY}({ token: process.env.GRAFANA_CLOUD_TOKEN }).`,
        }),
    },
    options,
  );
}
