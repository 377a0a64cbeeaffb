/**
 * One "abort" listener per signal, however many calls wait on it. Callers often hand one signal to a
 * whole batch of calls (to cancel the job); a listener per call made Node print "MaxListeners-
 * ExceededWarning: Possible EventTarget memory leak detected" as soon as 11 such calls were in flight,
 * though nothing leaked. Node's own fetch avoids the warning by raising the caller's signal's limit;
 * this leaves the caller's signal as it is.
 */

interface Listening {
  /** The callbacks, in the order they were registered. */
  readonly callbacks: Set<() => void>;
  /** The one listener on the signal. */
  readonly listener: () => void;
}

/** Each signal's listening, while anyone listens; an entry goes with its signal. */
const listeningTo = new WeakMap<AbortSignal, Listening>();

/**
 * Calls `callback` once when `signal` aborts, until the returned function is called. Like
 * addEventListener, it does nothing for a signal that has already aborted: check `aborted` first.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  const listening = listeningTo.get(signal) ?? listen(signal);
  listening.callbacks.add(callback);
  return () => {
    if (!listening.callbacks.delete(callback) || listening.callbacks.size > 0) return;
    // Nobody listens any more: the listener comes off, leaving the signal as it was (Node keeps an
    // AbortSignal.timeout() alive while it has listeners, until it fires).
    signal.removeEventListener("abort", listening.listener);
    if (listeningTo.get(signal) === listening) listeningTo.delete(signal);
  };
}

/** Puts the one listener on `signal`. */
function listen(signal: AbortSignal): Listening {
  const callbacks = new Set<() => void>();
  const listener = () => {
    listeningTo.delete(signal);
    for (const aborted of callbacks) {
      // As separate listeners would be: one that throws does not keep the others from running.
      try {
        aborted();
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
    callbacks.clear();
  };
  const listening = { callbacks, listener };
  listeningTo.set(signal, listening);
  signal.addEventListener("abort", listener, { once: true });
  return listening;
}
