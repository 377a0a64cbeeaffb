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

/**
 * Puts the credential on one outgoing request: the transport calls it once per call and again for each
 * redirect hop, on a URL string and a Headers object, so no Request object is rebuilt (rebuilding one
 * loses the caller's abort signal on Node 20 once the old Request is garbage-collected).
 */
export type ApplyAuth = (url: string, headers: Headers) => string;

function queryKey(name: string, key: string): ApplyAuth {
  const pair = `${encodeURIComponent(name)}=${encodeURIComponent(key)}`;
  return (url) => {
    const query = url.indexOf("?");
    // The usual case, a URL without the parameter: append it, leaving the rest of the URL byte for byte.
    if (query === -1) return `${url}?${pair}`;
    const present = url
      .slice(query + 1)
      .split("&")
      .some((part) => part === name || part.startsWith(`${name}=`));
    if (!present) return `${url}&${pair}`;
    const parsed = new URL(url);
    parsed.searchParams.set(name, key);
    return parsed.href;
  };
}

function headerValue(name: string, value: string): ApplyAuth {
  return (url, headers) => {
    headers.set(name, value);
    return url;
  };
}

/** As openapi-fetch middleware, for use with a plain openapi-fetch client. */
function asMiddleware(apply: ApplyAuth): Middleware {
  return {
    onRequest({ request }) {
      const headers = new Headers(request.headers);
      const url = apply(request.url, headers);
      return new Request(url, { method: request.method, headers, body: request.body, signal: request.signal, duplex: "half" } as RequestInit);
    },
  };
}

export function apiKeyQueryAuth(name: string, key: string): Middleware {
  return asMiddleware(queryKey(name, key));
}

export function apiKeyHeaderAuth(name: string, key: string): Middleware {
  return asMiddleware(headerValue(name, key));
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

/** How to authenticate for a spec security scheme, plus what the redactor must hide. */
export function authFor(scheme: AuthScheme, credential: Credential): { apply: ApplyAuth; secrets: string[]; queryParams: string[] } {
  if (scheme.type === "apiKey") {
    if (typeof credential !== "string") throw new ConfigError(`security scheme \`${scheme.scheme}\` takes a single key`);
    if (scheme.in === "query") return { apply: queryKey(scheme.name, credential), secrets: [credential], queryParams: [scheme.name] };
    if (scheme.in === "header") return { apply: headerValue(scheme.name, credential), secrets: [credential], queryParams: [] };
    throw new ConfigError(`security scheme \`${scheme.scheme}\`: API keys in a ${scheme.in} are not supported`);
  }
  if (scheme.httpScheme === "bearer") {
    if (typeof credential !== "string") throw new ConfigError(`security scheme \`${scheme.scheme}\` takes a single token`);
    return { apply: headerValue("Authorization", `Bearer ${credential}`), secrets: [credential], queryParams: [] };
  }
  if (scheme.httpScheme === "basic") {
    if (typeof credential === "string") throw new ConfigError(`security scheme \`${scheme.scheme}\` takes {username, password}`);
    const encoded = base64Utf8(`${credential.username}:${credential.password}`);
    return { apply: headerValue("Authorization", `Basic ${encoded}`), secrets: [credential.password, encoded], queryParams: [] };
  }
  throw new ConfigError(`security scheme \`${scheme.scheme}\`: HTTP ${scheme.httpScheme} auth is not supported`);
}
