import { RateLimitWaitError } from "@o11ykit/core";

/**
 * The shared limit could not be checked: Redis did not answer (down, unreachable, or slower than
 * `commandTimeoutMs`). With `onRedisError: "fail"` calls fail with it; with `"fallback"` it is what
 * `onFallback` receives.
 *
 * It extends core's RateLimitWaitError on purpose: that is how a limiter tells the client "do not
 * send", so the call fails at once with a RateLimitError (an O11ykitError whose message reads "… was
 * not sent: the shared rate limit … could not be checked in Redis …") instead of being taken for a
 * network failure of the API, retried, and reported against the API's URL.
 */
export class RedisLimiterError extends RateLimitWaitError {
  override name = "RedisLimiterError";
  /** The limiter's key (`<api>|<credential fingerprint>|<bucket>`): names the limit, never the secret. */
  readonly key: string;
  readonly policy: "fallback" | "fail";

  constructor(key: string, requests: number, periodMs: number, cause: unknown, policy: "fallback" | "fail") {
    // The time to the next free slot is unknown: Redis holds it.
    super(requests, periodMs, Number.NaN, 0);
    this.key = key;
    this.policy = policy;
    this.cause = cause;
    const reason = cause instanceof Error ? cause.message : String(cause);
    this.message =
      `the shared rate limit of ${requests} requests per ${periodMs / 1000} s (${key}) could not be checked in Redis: ${reason}; ` +
      (policy === "fail"
        ? 'onRedisError is "fail", so no call is sent until Redis answers. Check that Redis is reachable and healthy, or pass ' +
          '`onRedisError: "fallback"` to limit each process on its own meanwhile'
        : "limiting in this process only until Redis answers again");
  }
}
