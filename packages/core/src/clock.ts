/** Time source and abort-aware sleep, injectable so limiter and retry tests can use fake timers. */

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Monotonic, sub-millisecond time: the limiter compares a new request's start with an old one's end
 * plus the period, and Date.now()'s whole milliseconds (or a wall-clock step) could let a request
 * start a fraction of a millisecond inside the server's window.
 */
export const systemClock: Clock = { now: () => performance.now(), sleep };
