/**
 * Redis key names for one limiter. Everything of one credential shares a Redis Cluster hash tag
 * (`{<api>|<fingerprint>}`), so the scripts, which touch several keys at once, run on one node.
 * Keys hold fingerprints only: the client never hands the secret to a limiter store.
 */
export interface LimiterKeys {
  /** Sorted set of granted requests still awaiting their response; score: when the lease runs out (+ one period). */
  inFlight: string;
  /** Sorted set of finished requests; score: when each stops counting (response time + one period). */
  finished: string;
  /** String: until when (Redis time, ms) the server asked everyone to wait. */
  pause: string;
}

export const DEFAULT_KEY_PREFIX = "o11ykit:rl:";

export function limiterKeys(prefix: string, key: string, requests: number, periodMs: number): LimiterKeys {
  const parts = key.split("|");
  // `<api>|<credential fingerprint>` is the unit the server counts per; a key of another shape is its own unit.
  const tag = parts.length >= 2 ? parts.slice(0, 2).join("|") : key;
  const rest = parts.slice(2).join("|");
  // The limit is part of the name, as in core's registry: two configurations of a bucket never mix
  // slots that were counted against different windows.
  const base = `${prefix}{${tag}}${rest ? `|${rest}` : ""}|${requests}/${periodMs}`;
  return { inFlight: `${base}:in-flight`, finished: `${base}:finished`, pause: `${base}:pause` };
}
