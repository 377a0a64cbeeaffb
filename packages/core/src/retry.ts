/** Retry policy: which failures are retried, and how long to wait before the next attempt. */

export interface RetryOptions {
  /** Retries after the first attempt (so `maxRetries: 2` means up to 3 attempts). */
  maxRetries: number;
  /** Longest wait the caller accepts before one retry; a longer `Retry-After` fails fast instead. */
  maxRetryWaitMs: number;
  /** First backoff delay; doubles each attempt, up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryOptions: RetryOptions = {
  maxRetries: 2,
  maxRetryWaitMs: 60_000,
  initialDelayMs: 500,
  maxDelayMs: 8_000,
};

/**
 * Reads how long the server asked us to wait, in ms: `retry-after-ms`, then `Retry-After` as
 * delta-seconds or an HTTP-date, then the standard `RateLimit-Reset` (seconds until the window
 * resets, as express-rate-limit sends). Returns undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: Headers, now: number = Date.now(), rateLimited = true): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.max(0, Number(ms));
  // RateLimit-Reset rides on every response; it only says how long to wait when we were rate limited.
  const value = headers.get("retry-after") ?? (rateLimited ? headers.get("ratelimit-reset") : null);
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.max(0, Number(trimmed) * 1000);
  // HTTP-date (IMF-fixdate and the obsolete forms Date.parse also accepts); must name a weekday or month.
  if (!/[a-z]{3}/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Exponential backoff with jitter: attempt 1 waits ~initialDelay, each further attempt doubles, capped;
 * the delay is randomly shortened by up to 25% so that clients failing together do not retry together.
 */
export function backoffDelay(retry: number, options: Pick<RetryOptions, "initialDelayMs" | "maxDelayMs">, random: () => number = Math.random): number {
  const base = Math.min(options.initialDelayMs * 2 ** Math.max(0, retry - 1), options.maxDelayMs);
  return Math.round(base * (1 - 0.25 * random()));
}

export type Outcome =
  /** `transient`: the operation's spec documents this failure as retryable (`x-o11ykit-retry-on`). */
  | { kind: "response"; status: number; headers: Headers; transient?: boolean }
  | { kind: "timeout" }
  | { kind: "network"; neverSent: boolean };

export type RetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; reason: "success" | "not-retryable" | "exhausted" | "wait-exceeds-budget"; retryAfterMs?: number };

const RETRYABLE_5XX = new Set([500, 502, 503, 504]);

/**
 * Decides whether attempt number `attempt` (1-based) is followed by another.
 * - 429: always retryable (rate-limited requests are rejected before processing).
 * - 5xx, timeouts, dropped connections: only when the operation is safe to retry.
 * - Connections refused before sending: always (the server never saw the request).
 * - Failures the spec lists for the operation (`x-o11ykit-retry-on`): always.
 */
export function decideRetry(input: {
  attempt: number;
  outcome: Outcome;
  retrySafe: boolean;
  options: RetryOptions;
  now?: number;
  random?: () => number;
}): RetryDecision {
  const { attempt, outcome, retrySafe, options } = input;
  let retryable: boolean;
  let retryAfterMs: number | undefined;
  if (outcome.kind === "response") {
    if (outcome.status < 400) return { retry: false, reason: "success" };
    retryable = outcome.status === 429 || outcome.transient === true || (retrySafe && RETRYABLE_5XX.has(outcome.status));
    retryAfterMs = parseRetryAfter(outcome.headers, input.now, outcome.status === 429);
  } else if (outcome.kind === "timeout") {
    retryable = retrySafe;
  } else {
    retryable = retrySafe || outcome.neverSent;
  }
  if (!retryable) return { retry: false, reason: "not-retryable" };
  if (attempt > options.maxRetries) return { retry: false, reason: "exhausted", retryAfterMs };
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > options.maxRetryWaitMs) return { retry: false, reason: "wait-exceeds-budget", retryAfterMs };
    return { retry: true, delayMs: retryAfterMs };
  }
  return { retry: true, delayMs: Math.min(backoffDelay(attempt, options, input.random), options.maxRetryWaitMs) };
}
