/** Time source, timers that stay correct for long delays, and an abort-aware sleep. */

import { onAbort } from "./abort-listener.js";

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Node clamps a setTimeout delay above 2^31−1 ms to 1 ms; longer delays are chained in steps below it. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimer {
  cancel(): void;
}

/**
 * setTimeout for any finite delay: a "never time out"-sized `timeoutMs` or a long Retry-After fires
 * when it should, not after 1 ms. `unref` keeps a timer from holding the process open on its own.
 */
export function setLongTimeout(callback: () => void, ms: number, { unref = false }: { unref?: boolean } = {}): LongTimer {
  let remaining = Math.max(0, ms);
  let handle: ReturnType<typeof setTimeout>;
  const arm = () => {
    const step = Math.min(remaining, MAX_TIMER_MS);
    remaining -= step;
    handle = setTimeout(remaining > 0 ? arm : callback, step);
    if (unref) (handle as { unref?: () => void }).unref?.();
  };
  arm();
  return { cancel: () => clearTimeout(handle) };
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const timer = setLongTimeout(() => {
      stopListening?.();
      resolve();
    }, ms);
    const stopListening = signal
      ? onAbort(signal, () => {
          timer.cancel();
          reject(signal.reason);
        })
      : undefined;
  });
}

/**
 * Monotonic, sub-millisecond time: the limiter compares a new request's start with an old one's end
 * plus the period, and Date.now()'s whole milliseconds (or a wall-clock step) could let a request
 * start a fraction of a millisecond inside the server's window.
 */
export const systemClock: Clock = { now: () => performance.now(), sleep };
