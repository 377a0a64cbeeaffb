/**
 * `createClickStackClient`: open-source ClickStack (HyperDX external API v2) on your own server.
 * Bearer auth, the `{data}` envelope, plain-text 401/403/429 bodies, offset pagination of alerts and
 * the 100-per-minute limit come from the spec.
 */
import { createProviderClient, requireSecret, type ClientOptions, type ClientPaths, type O11ykitClient, type RateLimitOverride } from "@o11ykit/core";
import { api, operations, type KnownErrorCode, type RateLimitBucket } from "./generated/oss/metadata.js";
import type { Methods } from "./generated/oss/methods.js";
import type { paths } from "./generated/oss/schema.js";

const FACTORY = "createClickStackClient";

export type ClickStackPaths = ClientPaths<paths, typeof api.envelope.data>;
/**
 * The client: path-style calls (\`client.POST("/path", init)\`) and every operation as a documented
 * method (\`client.<group>.<name>(init)\`). With \`throwOnError: true\`, failures throw and \`data\` is present.
 */
export type ClickStackClient<Throws extends boolean = false> = O11ykitClient<ClickStackPaths, typeof operations, KnownErrorCode, Throws> & Methods<ClickStackPaths, KnownErrorCode, Throws>;

export interface ClickStackClientOptions extends Omit<ClientOptions, "rateLimits" | "baseUrl"> {
  /**
   * Your ClickStack server's API, e.g. `http://clickstack.internal:8000`. Required; typed `| undefined`
   * so `process.env.X` can be passed as is (an absent value is a ConfigError naming `baseUrl`).
   */
  baseUrl: string | undefined;
  /** Personal API access key (Team Settings → API Keys); sent as a Bearer token, never logged. */
  apiKey: string | undefined;
  /** Override the spec's limit (100 requests per minute per key). */
  rateLimits?: "off" | Partial<Record<RateLimitBucket, RateLimitOverride>> | undefined;
}

export function createClickStackClient(options: ClickStackClientOptions & { throwOnError: true }): ClickStackClient<true>;
export function createClickStackClient(options: ClickStackClientOptions): ClickStackClient;
export function createClickStackClient(options: ClickStackClientOptions): ClickStackClient<boolean> {
  return createProviderClient<ClickStackPaths, typeof operations, KnownErrorCode, ClickStackClientOptions, ClickStackClient<boolean>>(
    {
      factory: FACTORY,
      api,
      operations,
      credentialOptions: ["apiKey"],
      example: `${FACTORY}({ baseUrl: "http://clickstack.internal:8000", apiKey: process.env.CLICKSTACK_API_KEY })`,
      credential: (o) =>
        requireSecret(o.apiKey, {
          factory: FACTORY,
          option: "apiKey",
          hint: `Copy your personal API access key from Team Settings → API Keys and pass it, e.g. ${FACTORY}({ baseUrl, apiKey: process.env.CLICKSTACK_API_KEY }).`,
        }),
    },
    options,
  );
}
