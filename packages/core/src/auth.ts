/**
 * Authentication as openapi-fetch middleware, chosen from the spec's security scheme. Secrets are
 * checked at client construction, so a missing key fails before any request with a message that
 * names the option and where to get its value.
 */
import type { Middleware } from "openapi-fetch";
import { ConfigError } from "./errors.js";
import type { AuthScheme } from "./metadata.js";

export type Credential = string | { username: string; password: string };

export interface SecretOption {
  /** Factory and option names, for the message: `createFlashdutyClient` / `appKey`. */
  factory: string;
  option: string;
  /** Where the user finds the value. */
  hint: string;
}

/** Returns the secret, or throws a ConfigError that names the option (never the value). */
export function requireSecret(value: unknown, where: SecretOption): string {
  const prefix = `${where.factory}: option \`${where.option}\``;
  if (value === undefined || value === null) {
    throw new ConfigError(`${prefix} is missing. ${where.hint}`);
  }
  if (typeof value !== "string") {
    throw new ConfigError(`${prefix} must be a string, got ${typeof value}. ${where.hint}`);
  }
  if (value.trim() === "") {
    throw new ConfigError(`${prefix} is empty (is the environment variable set?). ${where.hint}`);
  }
  if (value.trim() !== value) {
    throw new ConfigError(`${prefix} has leading or trailing whitespace; trim it (a copy-paste slip?).`);
  }
  return value;
}

export function apiKeyQueryAuth(name: string, key: string): Middleware {
  return {
    onRequest({ request }) {
      const url = new URL(request.url);
      url.searchParams.set(name, key);
      return new Request(url, request);
    },
  };
}

export function apiKeyHeaderAuth(name: string, key: string): Middleware {
  return {
    onRequest({ request }) {
      request.headers.set(name, key);
      return request;
    },
  };
}

export function bearerAuth(token: string): Middleware {
  return apiKeyHeaderAuth("Authorization", `Bearer ${token}`);
}

/** Base64 of UTF-8 text, without Node's Buffer so the core also runs in browsers and edge runtimes. */
function base64Utf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function basicAuth(username: string, password: string): Middleware {
  return apiKeyHeaderAuth("Authorization", `Basic ${base64Utf8(`${username}:${password}`)}`);
}

/** The middleware for a spec security scheme, plus what the redactor must hide. */
export function authFor(scheme: AuthScheme, credential: Credential): { middleware: Middleware; secrets: string[]; queryParams: string[] } {
  if (scheme.type === "apiKey") {
    if (typeof credential !== "string") throw new ConfigError(`security scheme \`${scheme.scheme}\` takes a single key`);
    if (scheme.in === "query") return { middleware: apiKeyQueryAuth(scheme.name, credential), secrets: [credential], queryParams: [scheme.name] };
    if (scheme.in === "header") return { middleware: apiKeyHeaderAuth(scheme.name, credential), secrets: [credential], queryParams: [] };
    throw new ConfigError(`security scheme \`${scheme.scheme}\`: API keys in a ${scheme.in} are not supported`);
  }
  if (scheme.httpScheme === "bearer") {
    if (typeof credential !== "string") throw new ConfigError(`security scheme \`${scheme.scheme}\` takes a single token`);
    return { middleware: bearerAuth(credential), secrets: [credential], queryParams: [] };
  }
  if (scheme.httpScheme === "basic") {
    if (typeof credential === "string") throw new ConfigError(`security scheme \`${scheme.scheme}\` takes {username, password}`);
    const encoded = base64Utf8(`${credential.username}:${credential.password}`);
    return { middleware: basicAuth(credential.username, credential.password), secrets: [credential.password, encoded], queryParams: [] };
  }
  throw new ConfigError(`security scheme \`${scheme.scheme}\`: HTTP ${scheme.httpScheme} auth is not supported`);
}
