/**
 * One "abort" listener per signal, however many calls wait on it. Callers often hand one signal to a
 * whole batch of calls (to cancel the job); a listener per call made Node print "MaxListeners-
 * ExceededWarning: Possible EventTarget memory leak detected" as soon as 11 such calls were in flight,
 * though nothing leaked. Node's own fetch avoids the warning by raising the caller's signal's limit;
 * this leaves the caller's signal as it is.
 */

type Callbacks = Set<() => void>;

/** Each signal's callbacks, registered in order; an entry goes with its signal. */
const callbacksOf = new WeakMap<AbortSignal, Callbacks>();

/**
 * Calls `callback` once when `signal` aborts, until the returned function is called. Like
 * addEventListener, it does nothing for a signal that has already aborted: check `aborted` first.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let callbacks = callbacksOf.get(signal);
  if (!callbacks) {
    const registered: Callbacks = new Set();
    callbacks = registered;
    callbacksOf.set(signal, registered);
    signal.addEventListener(
      "abort",
      () => {
        callbacksOf.delete(signal);
        for (const aborted of registered) {
          // As separate listeners would be: one that throws does not keep the others from running.
          try {
            aborted();
          } catch (error) {
            queueMicrotask(() => {
              throw error;
            });
          }
        }
        registered.clear();
      },
      { once: true },
    );
  }
  const registered = callbacks;
  registered.add(callback);
  return () => {
    registered.delete(callback);
  };
}
