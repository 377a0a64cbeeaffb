/**
 * `createFlashdutyClient`: the generated Flashduty types and metadata handed to the o11ykit core.
 * Everything Flashduty-specific (app_key auth, the {request_id, data} envelope, error codes, rate
 * limits, which calls are safe to retry) comes from the spec through ./generated/metadata.ts.
 */
import { createProviderClient, requireSecret, type ClientOptions, type ClientPaths, type O11ykitClient, type RateLimitOverride } from "@o11ykit/core";
import { api, operations, type KnownErrorCode, type RateLimitBucket } from "./generated/metadata.js";
import type { Methods } from "./generated/methods.js";
import type { paths } from "./generated/schema.js";

const FACTORY = "createFlashdutyClient";

/** Flashduty's paths as the client sees them: payloads without the envelope. */
export type FlashdutyPaths = ClientPaths<paths, typeof api.envelope.data>;
/**
 * The client: path-style calls (\`client.POST("/path", init)\`) and every operation as a documented
 * method (\`client.<group>.<name>(init)\`). With \`throwOnError: true\`, failures throw and \`data\` is present.
 */
export type FlashdutyClient<Throws extends boolean = false> = O11ykitClient<FlashdutyPaths, typeof operations, KnownErrorCode, Throws> & Methods<FlashdutyPaths, KnownErrorCode, Throws>;

export interface FlashdutyClientOptions extends Omit<ClientOptions, "rateLimits"> {
  /** App key from the Flashduty console (Account → APP Keys). Sent as the `app_key` query parameter; never logged. */
  appKey: string | undefined;
  /** Override the spec's limits (50/s and 1,000/min per account), e.g. when other tools share the key. */
  rateLimits?: "off" | Partial<Record<RateLimitBucket, RateLimitOverride>> | undefined;
}

export function createFlashdutyClient(options: FlashdutyClientOptions & { throwOnError: true }): FlashdutyClient<true>;
export function createFlashdutyClient(options: FlashdutyClientOptions): FlashdutyClient;
export function createFlashdutyClient(options: FlashdutyClientOptions): FlashdutyClient<boolean> {
  return createProviderClient<FlashdutyPaths, typeof operations, KnownErrorCode, FlashdutyClientOptions, FlashdutyClient<boolean>>(
    {
      factory: FACTORY,
      api,
      operations,
      credentialOptions: ["appKey"],
      example: `${FACTORY}({ appKey: process.env.FLASHDUTY_APP_KEY })`,
      credential: (o) =>
        requireSecret(o.appKey, {
          factory: FACTORY,
          option: "appKey",
          hint: `Create an app key in the Flashduty console (Account → APP Keys) and pass it, e.g. ${FACTORY}({ appKey: process.env.FLASHDUTY_APP_KEY }).`,
        }),
    },
    options,
  );
}

/** The call's request id (from the `Flashcat-Request-Id` header, or the body when the header is absent). */
export function requestIdOf(response: Response): string | undefined {
  return response.headers.get(api.requestIdHeader) ?? undefined;
}
