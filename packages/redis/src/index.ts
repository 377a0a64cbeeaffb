export { redisLimiters, RedisLimiterStore, type RedisLimitersOptions } from "./store.js";
export { RedisLimiter } from "./redis-limiter.js";
export { RedisLimiterError } from "./errors.js";
export { DEFAULT_KEY_PREFIX } from "./keys.js";
export type { RedisClient } from "./redis-calls.js";
