/** Checks client and call options up front, with messages that name the option and the fix. */
import { ConfigError } from "./errors.js";
import type { ApiMetadata, OperationMetadata, RequiredParam } from "./metadata.js";
import type { ClientOptions } from "./client.js";

function fail(where: string, option: string, problem: string): never {
  throw new ConfigError(`${where}: option \`${option}\` ${problem}`);
}

function checkNumber(where: string, option: string, value: unknown, { min, integer = false }: { min: number; integer?: boolean }): void {
  if (value === undefined) return;
  if (typeof value !== "number") fail(where, option, `must be a number, got ${typeof value === "string" ? JSON.stringify(value) : typeof value}`);
  if (!Number.isFinite(value)) fail(where, option, `must be a finite number, got ${String(value)}`);
  if (integer && !Number.isInteger(value)) fail(where, option, `must be a whole number, got ${value}`);
  if (value < min) fail(where, option, `must be at least ${min}, got ${value}`);
}

export function checkCallOptions(
  where: string,
  options: { timeoutMs?: unknown; maxRetries?: unknown; maxRetryWaitMs?: unknown; maxResponseBytes?: unknown; maxRedirects?: unknown },
): void {
  // Long waits are honoured exactly (timers are chained past Node's 2^31−1 ms clamp), so any finite
  // positive value is allowed; Infinity and NaN are refused with a message that says what was given.
  checkNumber(where, "timeoutMs", options.timeoutMs, { min: 1 });
  checkNumber(where, "maxRetries", options.maxRetries, { min: 0, integer: true });
  checkNumber(where, "maxRetryWaitMs", options.maxRetryWaitMs, { min: 0 });
  checkNumber(where, "maxResponseBytes", options.maxResponseBytes, { min: 1, integer: true });
  checkNumber(where, "maxRedirects", options.maxRedirects, { min: 0, integer: true });
}

/** Per-call options: o11ykit's own, openapi-fetch's, and the fetch options that make sense per call. */
export const CALL_OPTION_NAMES = [
  "params",
  "body",
  "headers",
  "signal",
  "timeoutMs",
  "maxRetries",
  "maxRetryWaitMs",
  "maxResponseBytes",
  "maxRedirects",
  "parseAs",
  "querySerializer",
  "bodySerializer",
  "pathSerializer",
  "middleware",
  "cache",
  "credentials",
  "integrity",
  "keepalive",
  "mode",
  "priority",
  "referrer",
  "referrerPolicy",
  "dispatcher",
] as const;

/** Rejects a per-call option o11ykit does not know (`timeout`, `retries`), suggesting the closest one. */
const CALL_OPTIONS = new Set<string>(CALL_OPTION_NAMES);

export function checkKnownCallOptions(where: string, init: object, extra: readonly string[] = []): void {
  for (const name in init) {
    if (CALL_OPTIONS.has(name) || extra.includes(name)) continue;
    const known = [...CALL_OPTION_NAMES, ...extra];
    if (name === "redirect") throw new ConfigError(`${where}: option \`redirect\` is not supported per call; the client follows same-origin redirects itself (see \`maxRedirects\`)`);
    throw unknownOption(where, name, known);
  }
}

/** An unknown option's error: the closest known name when a typo is likely, else every known name. */
function unknownOption(where: string, name: string, known: readonly string[]): ConfigError {
  const close = closest(name, known);
  return new ConfigError(`${where}: unknown option \`${name}\`` + (close ? ` (did you mean \`${close}\`?)` : ` (known options: ${known.join(", ")})`));
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The known name a typo most likely meant: same letters ignoring case and `_`, a prefix of it, or a few edits away. */
export function closest(name: string, known: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[_-]/g, "");
  const n = norm(name);
  const exact = known.find((k) => norm(k) === n);
  if (exact) return exact;
  const containing = known.filter((k) => n.length >= 4 && norm(k).includes(n));
  if (containing.length === 1) return containing[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(n, norm(k));
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= Math.max(2, Math.floor(n.length / 3)) ? best : undefined;
}

export function checkClientOptions(factory: string, options: ClientOptions, api: ApiMetadata, operations: Readonly<Record<string, OperationMetadata>>): void {
  checkCallOptions(factory, options);
  if (options.baseUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(String(options.baseUrl));
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
      fail(factory, "baseUrl", `must be an absolute http(s) URL such as "${api.baseUrl ?? "https://api.example.com"}", got ${JSON.stringify(options.baseUrl)}`);
    }
    if (url.search || url.hash) fail(factory, "baseUrl", "must not contain a query string or fragment; pass credentials through their own option");
  }
  if (options.fetch !== undefined && typeof options.fetch !== "function") fail(factory, "fetch", "must be a function (url: string, init: RequestInit) => Promise<Response>, as the global fetch");
  if (options.headers !== undefined) {
    if (typeof options.headers !== "object" || options.headers === null) fail(factory, "headers", "must be an object of header names to string values");
    for (const [name, value] of Object.entries(options.headers)) {
      if (typeof value !== "string") fail(factory, `headers.${name}`, `must be a string, got ${typeof value}`);
    }
  }
  if (options.throwOnError !== undefined && typeof options.throwOnError !== "boolean") fail(factory, "throwOnError", "must be true or false");
  if (options.logger !== undefined && (typeof options.logger !== "object" || options.logger === null)) fail(factory, "logger", "must be an object with debug/info/warn/error methods, such as `console`");
  if (options.logLevel !== undefined && !["debug", "info", "warn", "error"].includes(options.logLevel)) fail(factory, "logLevel", `must be "debug", "info", "warn" or "error", got ${JSON.stringify(options.logLevel)}`);
  const rateLimits = options.rateLimits;
  if (rateLimits !== undefined && rateLimits !== "off") {
    if (typeof rateLimits !== "object" || rateLimits === null) fail(factory, "rateLimits", 'must be "off" or an object of bucket overrides');
    const buckets = [...new Set(Object.values(operations).flatMap((op) => op.rateLimits.map((l) => l.bucket)))];
    for (const [bucket, override] of Object.entries(rateLimits)) {
      if (!buckets.includes(bucket)) fail(factory, `rateLimits.${bucket}`, `names no rate-limit bucket of the ${api.title} spec (known: ${buckets.join(", ") || "none"})`);
      if (typeof override !== "object" || override === null) fail(factory, `rateLimits.${bucket}`, "must be {requests, periodSeconds}");
      checkNumber(factory, `rateLimits.${bucket}.requests`, override.requests ?? Number.NaN, { min: 1, integer: true });
      checkNumber(factory, `rateLimits.${bucket}.periodSeconds`, override.periodSeconds ?? Number.NaN, { min: Number.MIN_VALUE });
    }
  }
}

/** Rejects options the factory does not know, suggesting the closest known name (typos like `appkey`). */
export function checkKnownOptions(factory: string, options: object, known: readonly string[]): void {
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) throw unknownOption(factory, name, known);
  }
}

export const CLIENT_OPTION_NAMES = [
  "baseUrl",
  "timeoutMs",
  "maxRetries",
  "maxRetryWaitMs",
  "maxResponseBytes",
  "maxRedirects",
  "rateLimits",
  "headers",
  "fetch",
  "limiters",
  "onRetry",
  "throwOnError",
  "logger",
  "logLevel",
] as const;

/**
 * Checks the call carries every required path and query parameter, so a JavaScript caller (or a
 * cast) gets a message naming the parameter instead of a request to `/instances/undefined`.
 */
export function checkRequiredParams(where: string, required: readonly RequiredParam[] | undefined, init: Record<string, unknown>): void {
  if (!required) return;
  const params = (init["params"] ?? {}) as Record<string, Record<string, unknown> | undefined>;
  for (const param of required) {
    const value = params[param.in]?.[param.name];
    if (value === undefined || value === null || value === "") {
      const example = JSON.stringify(param.example ?? "…");
      throw new ConfigError(
        `${where}: ${param.in} parameter \`${param.name}\` is required; pass it as { params: { ${param.in}: { ${param.name}: ${example} } } }`,
      );
    }
  }
}
