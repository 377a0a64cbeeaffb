/**
 * `redisLimiters({ client })`: a LimiterStore whose limiters live in Redis, for clients in several
 * processes or machines that share a credential (and so a budget at the server).
 */
import { randomBytes } from "node:crypto";
import { checkKnownOptions, ConfigError, LimiterCache, LimiterRegistry, type LimiterStore } from "@o11ykit/core";
import type { RedisLimiterError } from "./errors.js";
import { DEFAULT_KEY_PREFIX, limiterKeys } from "./keys.js";
import { ScriptRunner, type RedisClient } from "./redis-calls.js";
import { RedisLimiter, type LimiterContext } from "./redis-limiter.js";

export interface RedisLimitersOptions {
  /** An ioredis client (`new Redis(url)` or `new Cluster(nodes)`). It stays yours: connect, listen for `error`, and `quit()` it. */
  client: RedisClient;
  /** Prefix of every key (default `"o11ykit:rl:"`); stores with different prefixes never share a budget. */
  keyPrefix?: string | undefined;
  /**
   * What a call does when Redis does not answer within `commandTimeoutMs`:
   * - `"fallback"` (default): the key is limited in this process only (core's in-process limiter) until
   *   Redis answers again, and `onFallback` is told. Automation keeps running; processes may then
   *   together exceed the limit, and the server's 429s (retried) are the backstop.
   * - `"fail"`: the call fails at once with a RateLimitError ("… was not sent: … could not be checked in Redis").
   */
  onRedisError?: "fallback" | "fail" | undefined;
  /** A key switched to its in-process fallback (policy `"fallback"`); called once per outage per key. */
  onFallback?: ((error: RedisLimiterError) => void) | undefined;
  /** A key that was in fallback is counted in Redis again. */
  onRecovered?: ((key: string) => void) | undefined;
  /** Longest wait for any Redis command before the policy applies (default 1,000 ms). */
  commandTimeoutMs?: number | undefined;
  /**
   * How long a granted slot may stay in flight before it lapses (default 120,000 ms). It frees the
   * slots of a process that crashed mid-request; keep it longer than your clients' `timeoutMs`
   * (default 60 s), or a slow live request's slot could lapse early.
   */
  leaseMs?: number | undefined;
  /** In fallback, how long to stay in-process before asking Redis again (default 1,000 ms). */
  retryRedisAfterMs?: number | undefined;
}

const FACTORY = "redisLimiters";
const OPTION_NAMES = ["client", "keyPrefix", "onRedisError", "onFallback", "onRecovered", "commandTimeoutMs", "leaseMs", "retryRedisAfterMs"] as const;

export class RedisLimiterStore implements LimiterStore {
  readonly keyPrefix: string;
  readonly #ctx: LimiterContext;
  /** Forgets the limiters of credentials this process no longer uses (see `RedisLimiter.idle`). */
  readonly #limiters: LimiterCache<RedisLimiter>;

  constructor(options: RedisLimitersOptions) {
    const checked = checkOptions(options);
    this.keyPrefix = checked.keyPrefix;
    const processId = randomBytes(6).toString("hex");
    let counter = 0;
    this.#ctx = {
      redis: new ScriptRunner(options.client, checked.commandTimeoutMs),
      policy: checked.onRedisError,
      leaseMs: checked.leaseMs,
      retryRedisAfterMs: checked.retryRedisAfterMs,
      fallback: new LimiterRegistry(),
      newMember: () => `${processId}:${(counter++).toString(36)}`,
      // A callback that throws must not break limiting (nor become an unhandled rejection).
      onFallback: (error) => quietly(() => options.onFallback?.(error)),
      onRecovered: (key) => quietly(() => options.onRecovered?.(key)),
    };
    this.#limiters = new LimiterCache(
      (key, requests, periodMs) => new RedisLimiter(key, requests, periodMs, limiterKeys(this.keyPrefix, key, requests, periodMs), this.#ctx),
    );
  }

  get(key: string, requests: number, periodMs: number): RedisLimiter {
    if (!Number.isInteger(requests) || requests < 1) throw new RangeError(`requests must be a positive integer, got ${requests}`);
    if (!(periodMs > 0)) throw new RangeError(`periodMs must be positive, got ${periodMs}`);
    return this.#limiters.get(key, requests, periodMs);
  }

  /** Limiters this process keeps right now (one per credential, bucket and limit in use). */
  get size(): number {
    return this.#limiters.size;
  }

  /** Forgets every limiter with nothing going on in this process. */
  sweep(): void {
    this.#limiters.sweep();
  }
}

/**
 * Rate limits shared by every process that uses the same Redis (and key prefix):
 * `createFlashdutyClient({ appKey, limiters: redisLimiters({ client: redis }) })`.
 */
export function redisLimiters(options: RedisLimitersOptions): RedisLimiterStore {
  return new RedisLimiterStore(options);
}

function quietly(callback: () => void): void {
  try {
    callback();
  } catch {
    // The user's callback failed; limiting goes on.
  }
}

function checkOptions(options: RedisLimitersOptions) {
  if (typeof options !== "object" || options === null) {
    throw new ConfigError(`${FACTORY}: pass an options object, e.g. ${FACTORY}({ client: new Redis(process.env.REDIS_URL) })`);
  }
  checkKnownOptions(FACTORY, options, OPTION_NAMES);
  const client = options.client as unknown as { evalsha?: unknown } | undefined;
  if (typeof client?.evalsha !== "function") {
    throw new ConfigError(
      `${FACTORY}: option \`client\` must be an ioredis client (new Redis(url) or new Cluster(nodes)), got ${client === undefined ? "undefined" : typeof client}`,
    );
  }
  const policy = options.onRedisError ?? "fallback";
  if (policy !== "fallback" && policy !== "fail") {
    throw new ConfigError(`${FACTORY}: option \`onRedisError\` must be "fallback" or "fail", got ${JSON.stringify(policy)}`);
  }
  const keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  if (typeof keyPrefix !== "string") throw new ConfigError(`${FACTORY}: option \`keyPrefix\` must be a string, got ${typeof keyPrefix}`);
  for (const name of ["onFallback", "onRecovered"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function") {
      throw new ConfigError(`${FACTORY}: option \`${name}\` must be a function, got ${typeof options[name]}`);
    }
  }
  return {
    keyPrefix,
    onRedisError: policy as "fallback" | "fail",
    commandTimeoutMs: positive(options.commandTimeoutMs, "commandTimeoutMs", 1000),
    leaseMs: positive(options.leaseMs, "leaseMs", 120_000),
    retryRedisAfterMs: positive(options.retryRedisAfterMs, "retryRedisAfterMs", 1000),
  };
}

function positive(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`${FACTORY}: option \`${name}\` must be a positive number of milliseconds, got ${String(value)}`);
  }
  return value;
}
