/**
 * What every provider factory does with the options it is given: check it got an object, reject
 * unknown (misspelt) options, read and check the credential, and hand the rest to createApiClient.
 * A provider package supplies its generated metadata and how to read its credential.
 */
import type { Credential } from "./auth.js";
import { createApiClient, type ClientOptions } from "./client.js";
import { ConfigError } from "./errors.js";
import type { ApiMetadata, CompactOperation, OperationMetadata } from "./metadata.js";
import type { O11ykitClient } from "./types.js";
import { CLIENT_OPTION_NAMES, checkKnownOptions } from "./validate-options.js";

export interface ProviderSetup<Options> {
  /** The factory's name, for messages: `createFlashdutyClient`. */
  factory: string;
  api: ApiMetadata;
  operations: Readonly<Record<string, CompactOperation | OperationMetadata>>;
  /** Options that carry the credential; they never reach the core's options. */
  credentialOptions: readonly string[];
  /** Other provider-specific options (such as an organization id), also kept from the core. */
  providerOptions?: readonly string[];
  /**
   * The base URL the provider computes from its options (a templated server: serverUrlFromOptions).
   * Called even when `baseUrl` is given, so that its checks of those options always run.
   */
  baseUrl?(options: Options): string | undefined;
  /** Reads the credential from the options, throwing a ConfigError that names the option. */
  credential(options: Options): Credential;
  /** A one-line example call, for the message when no options object is given. */
  example: string;
}

export function createProviderClient<Paths extends {}, Operations, Code extends string, Options extends object, Client = O11ykitClient<Paths, Operations, Code>>(
  setup: ProviderSetup<Options>,
  options: Options,
): Client {
  if (typeof options !== "object" || options === null) {
    throw new ConfigError(`${setup.factory}: pass an options object, e.g. ${setup.example}`);
  }
  const own = [...setup.credentialOptions, ...(setup.providerOptions ?? [])];
  checkKnownOptions(setup.factory, options, [...own, ...CLIENT_OPTION_NAMES]);
  const credential = setup.credential(options);
  const serverUrl = setup.baseUrl?.(options);
  const rest = Object.fromEntries(Object.entries(options).filter(([name]) => !own.includes(name))) as ClientOptions;
  if (rest.baseUrl === undefined && serverUrl !== undefined) rest.baseUrl = serverUrl;
  // The provider's client type adds its generated Methods, which the core attaches from the metadata.
  return createApiClient<Paths, Operations, Code>({ factory: setup.factory, api: setup.api, operations: setup.operations, credential, options: rest }) as unknown as Client;
}
