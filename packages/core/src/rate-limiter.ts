/**
 * Client-side rate limiting that never sends a request the server would reject with 429.
 *
 * Each limiter is a sliding-window log for one bucket (`requests` per `periodMs`). A slot is held
 * from the moment a request is granted until `periodMs` after its response arrived: the server
 * counts a request when it arrives, which is at the latest when its response comes back, so two
 * requests that share a window are always at least one period apart *at the server*, whatever the
 * network jitter. The cost is one round trip per period, which keeps throughput within a few percent
 * of the limit. Waiters are served first-in first-out and leave the queue at once when aborted.
 *
 * (Token-bucket libraries allow bursts that a strict sliding-window server rejects, and none we found
 * holds several windows per credential with per-call abort, hence this small implementation.)
 */
import { systemClock, type Clock } from "./clock.js";
import { WaitQueue } from "./wait-queue.js";

/**
 * What `acquire` grants: call it when the response (or failure) arrives; call it with `false` when the
 * request was never sent (the caller gave up before sending, or the connection was refused), so that
 * the slot is free again at once instead of counting for a period: the server never counted it. A
 * limiter that cannot tell may treat both alike. `queuedMs` says how long the caller stood in line for
 * capacity, when it did (absent when a slot was free at once): the limiter is the one part that knows
 * whether a call queued, so the client's log does not have to guess from the time an await took,
 * which on a busy machine can be milliseconds with no wait at all.
 */
export type Release = ((sent?: boolean) => void) & { readonly queuedMs?: number };

/**
 * What a client needs from a rate limiter: one window (`requests` per `periodMs`) of one bucket for
 * one credential. The in-process SlidingWindowLimiter is one; a limiter shared across processes (such
 * as `@o11ykit/redis`) is another.
 */
export interface RateLimiter {
  readonly requests: number;
  readonly periodMs: number;
  /**
   * Waits for capacity and takes a slot; call the returned function when the response (or failure)
   * arrives (with `false` when nothing was sent), and set its `queuedMs` when the caller had to wait
   * for capacity. Rejects with the signal's reason when it aborts, and with a RateLimitWaitError at
   * once when the next free slot is further away than `maxWaitMs`.
   */
  acquire(signal?: AbortSignal, maxWaitMs?: number): Promise<Release>;
  /** The server asked everyone on this credential to wait (a 429's Retry-After): grant nothing for `ms`. */
  pauseFor(ms: number): void;
}

/** Where a client's limiters live: one per `key` (`<api>|<credential fingerprint>|<bucket>`, never a secret). */
export interface LimiterStore {
  get(key: string, requests: number, periodMs: number): RateLimiter;
}

interface Waiter {
  /** Longest time this caller accepts for the window to free a slot (undefined: no limit). */
  maxWaitMs: number | undefined;
  /** When (clock time) the caller joined the queue. */
  since: number;
  resolve(release: Release): void;
  reject(reason: unknown): void;
}

export class SlidingWindowLimiter implements ForgettableLimiter {
  readonly requests: number;
  readonly periodMs: number;
  readonly #clock: Clock;
  /** Slots granted whose response has not arrived yet. */
  #inFlight = 0;
  /**
   * When each finished slot's response arrived, oldest first. Releases happen in clock order, so
   * this is sorted by construction: expiry pops from the front (from `#head`), a release appends, and
   * the oldest finished slot is always `#ended[#head]`: every operation is O(1) amortised, whatever
   * the window's size.
   */
  #ended: number[] = [];
  #head = 0;
  #queue = new WaitQueue<Waiter>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Until when the server asked for a pause (clock time); nothing is granted before it. */
  #pausedUntil = 0;

  constructor(requests: number, periodMs: number, clock: Clock = systemClock) {
    if (!Number.isInteger(requests) || requests < 1) throw new RangeError(`requests must be a positive integer, got ${requests}`);
    if (!(periodMs > 0)) throw new RangeError(`periodMs must be positive, got ${periodMs}`);
    this.requests = requests;
    this.periodMs = periodMs;
    this.#clock = clock;
  }

  /** Slots counted against the window right now (in flight, or finished less than a period ago). */
  get inUse(): number {
    this.#prune(this.#clock.now());
    return this.#used();
  }

  /** True when nothing is held, queued or paused: the limiter can be forgotten without changing anything. */
  get idle(): boolean {
    const now = this.#clock.now();
    this.#prune(now);
    return this.#used() === 0 && this.#queue.size === 0 && now >= this.#pausedUntil;
  }

  #used(): number {
    return this.#inFlight + this.#ended.length - this.#head;
  }

  /** When the oldest finished slot leaves the window (undefined if none has finished). */
  #oldestFinishedFreesAt(): number | undefined {
    return this.#head < this.#ended.length ? this.#ended[this.#head]! + this.periodMs : undefined;
  }

  get waiting(): number {
    return this.#queue.size;
  }

  /**
   * How long until a slot frees, as far as can be known now: 0 when one is free, undefined when every
   * slot is held by a request still in flight (it frees one period after that request ends).
   */
  nextFreeInMs(): number | undefined {
    const now = this.#clock.now();
    const pause = Math.max(0, this.#pausedUntil - now);
    this.#prune(now);
    if (this.#used() < this.requests && (pause > 0 || this.#queue.size === 0)) return pause;
    const frees = this.#oldestFinishedFreesAt();
    if (frees === undefined) return undefined;
    return Math.max(pause, frees - now);
  }

  pauseFor(ms: number): void {
    if (!(ms > 0)) return;
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#clock.now() + ms);
    this.#clearTimer();
    this.#pump();
  }

  /**
   * Waits for capacity and takes a slot. Call the returned `release` when the response (or failure)
   * arrives; the slot then frees itself one period later. With `maxWaitMs`, fails at once with a
   * RateLimitWaitError when the window's next free slot is further away than that (an hourly budget
   * used up should not hang a call). Waiting in line behind the process's own calls, while the window
   * keeps freeing slots in time, is not limited: a bulk job of thousands of calls just runs at the limit.
   */
  acquire(signal?: AbortSignal, maxWaitMs?: number): Promise<Release> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#queue.size === 0 && this.#hasCapacity()) return Promise.resolve(this.#take(0));
    const wait = this.nextFreeInMs();
    if (maxWaitMs !== undefined && wait !== undefined && wait > maxWaitMs) {
      return Promise.reject(new RateLimitWaitError(this.requests, this.periodMs, wait, maxWaitMs));
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ maxWaitMs, since: this.#clock.now(), resolve, reject }, signal, (reason) => {
        reject(reason);
        // Nobody left to wake: drop the timer, so an aborted call does not keep the process alive.
        if (this.#queue.size === 0) this.#clearTimer();
        this.#pump();
      });
      this.#pump();
    });
  }

  #clearTimer(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #prune(now: number): void {
    const horizon = now - this.periodMs;
    while (this.#head < this.#ended.length && this.#ended[this.#head]! <= horizon) this.#head++;
    // Compact now and then, so the array does not grow with every request ever made.
    if (this.#head > 64 && this.#head * 2 > this.#ended.length) {
      this.#ended = this.#ended.slice(this.#head);
      this.#head = 0;
    }
  }

  #hasCapacity(): boolean {
    const now = this.#clock.now();
    if (now < this.#pausedUntil) return false;
    this.#prune(now);
    return this.#used() < this.requests;
  }

  /** Takes a slot for a caller who stood `queuedMs` in line (0: none). */
  #take(queuedMs: number): Release {
    this.#inFlight++;
    let released = false;
    const release = (sent = true) => {
      if (released) return;
      released = true;
      this.#inFlight--;
      // Only a request that went out counts for a period after it ended.
      if (sent) this.#ended.push(this.#clock.now());
      this.#pump();
    };
    return releaseQueued(release, queuedMs);
  }

  #pump(): void {
    while (this.#queue.size > 0 && this.#hasCapacity()) {
      const waiter = this.#queue.shift()!;
      waiter.resolve(this.#take(this.#clock.now() - waiter.since));
    }
    if (this.#queue.size === 0 || this.#timer !== undefined) return;
    // Full (or paused): wake when the pause ends or the oldest finished slot leaves the window. If
    // every slot is still in flight and there is no pause, a release will pump again.
    const now = this.#clock.now();
    this.#prune(now);
    const pause = this.#pausedUntil - now;
    // With a slot free, only the pause is in the way; with the window full, the oldest finished slot
    // (if every slot is in flight and there is no pause, a release will pump again).
    const frees = this.#used() < this.requests ? now : this.#oldestFinishedFreesAt();
    if (frees === undefined && pause <= 0) return;
    const slotFree = frees === undefined ? 0 : frees - now;
    const waitMs = Math.max(slotFree, pause);
    // The window will not free a slot within some callers' budgets: tell them now rather than later.
    for (const waiter of this.#queue.takeOverBudget(waitMs)) waiter.reject(new RateLimitWaitError(this.requests, this.periodMs, waitMs, waiter.maxWaitMs!));
    if (this.#queue.size === 0) return;
    const delay = waitMs + 1;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#pump();
    }, Math.min(Math.max(1, delay), 2 ** 31 - 1));
    // Kept ref'd on purpose: a queued call's promise does not keep Node running, this timer does. It is
    // cleared as soon as the queue empties (every waiter aborted), so it never outlives its callers.
  }
}

/** A limiter a store may forget when `idle`: nothing in this process then depends on its state. */
export interface ForgettableLimiter extends RateLimiter {
  readonly idle: boolean;
}

/**
 * Limiters by key and limit, made on first use and forgotten once idle. A multi-tenant service sees
 * credentials come and go: now and then the idle ones are dropped, so a store stays as large as the
 * credentials in use, not all it has ever seen. The in-process registry and `@o11ykit/redis`'s store
 * both keep their limiters in one.
 */
export class LimiterCache<L extends ForgettableLimiter> {
  /**
   * By key, then by limit. Keyed by the caller's key string as it is (a client passes the same
   * string object on every call, whose hash the engine keeps), not by a string built per call.
   */
  readonly #limiters = new Map<string, Array<{ requests: number; periodMs: number; limiter: L }>>();
  readonly #create: (key: string, requests: number, periodMs: number) => L;
  #madeSinceSweep = 0;

  constructor(create: (key: string, requests: number, periodMs: number) => L) {
    this.#create = create;
  }

  /** Limiters kept right now (one per credential, bucket and limit). */
  get size(): number {
    let count = 0;
    for (const entries of this.#limiters.values()) count += entries.length;
    return count;
  }

  get(key: string, requests: number, periodMs: number): L {
    const known = this.#limiters.get(key);
    if (known) for (const entry of known) if (entry.requests === requests && entry.periodMs === periodMs) return entry.limiter;
    // Swept every 256 new limiters, before adding (the new one is idle until its caller takes a slot).
    if (++this.#madeSinceSweep >= 256) this.sweep();
    const limiter = this.#create(key, requests, periodMs);
    let entries = this.#limiters.get(key);
    if (!entries) this.#limiters.set(key, (entries = []));
    entries.push({ requests, periodMs, limiter });
    return limiter;
  }

  /** Drops every idle limiter. */
  sweep(): void {
    this.#madeSinceSweep = 0;
    for (const [key, entries] of this.#limiters) {
      const kept = entries.filter((entry) => !entry.limiter.idle);
      if (kept.length === 0) this.#limiters.delete(key);
      else if (kept.length < entries.length) this.#limiters.set(key, kept);
    }
  }
}

/**
 * Limiters shared by every client in the process, keyed by credential and bucket, so two clients
 * built with the same key share one budget, as they do at the server. A limiter is forgotten once its
 * window holds nothing (no slot, no waiter, no pause).
 */
export class LimiterRegistry extends LimiterCache<SlidingWindowLimiter> implements LimiterStore {
  constructor(clock: Clock = systemClock) {
    super((_key, requests, periodMs) => new SlidingWindowLimiter(requests, periodMs, clock));
  }
}

export const sharedLimiters = new LimiterRegistry();

/** The client-side budget is used up for longer than the caller accepts to wait. */
export class RateLimitWaitError extends Error {
  override name = "RateLimitWaitError";
  constructor(
    readonly requests: number,
    readonly periodMs: number,
    readonly waitMs: number,
    readonly maxWaitMs: number,
  ) {
    super(
      `the rate limit of ${requests} requests per ${periodMs / 1000} s is used up; the next slot frees in ` +
        `${Math.ceil(waitMs / 1000)} s, longer than the ${Math.ceil(maxWaitMs / 1000)} s this call may wait ` +
        `(raise \`maxRetryWaitMs\` to wait, or try later)`,
    );
  }
}

/**
 * A slot's release, carrying the time its caller queued for it when it did (a release of a slot that
 * was free at once has no `queuedMs`). For RateLimiter implementations.
 */
export function releaseQueued(release: (sent?: boolean) => void, queuedMs: number): Release {
  return queuedMs > 0 ? Object.assign(release, { queuedMs }) : release;
}

const releaseNothing: Release = () => {};

/**
 * Takes a slot in every limiter (in a stable order, so concurrent callers cannot deadlock); the
 * release's `queuedMs` is the time queued in all of them together.
 */
export function acquireAll(limiters: readonly RateLimiter[], signal?: AbortSignal, maxWaitMs?: number): Promise<Release> {
  // Most operations have one bucket or none (limits off): no bookkeeping for those.
  if (limiters.length === 0) return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve(releaseNothing);
  if (limiters.length === 1) return limiters[0]!.acquire(signal, maxWaitMs);
  return acquireEach(limiters, signal, maxWaitMs);
}

async function acquireEach(limiters: readonly RateLimiter[], signal?: AbortSignal, maxWaitMs?: number): Promise<Release> {
  const releases: Release[] = [];
  try {
    for (const limiter of limiters) releases.push(await limiter.acquire(signal, maxWaitMs));
  } catch (error) {
    // Nothing was sent: the windows already taken get their slots back at once.
    for (const release of releases) release(false);
    throw error;
  }
  const releaseAll = (sent?: boolean) => {
    for (const release of releases) release(sent);
  };
  // One after another, so the times queued add up.
  return releaseQueued(releaseAll, releases.reduce((sum, release) => sum + (release.queuedMs ?? 0), 0));
}

/**
 * A short, non-reversible fingerprint of a credential for use as a map key, so the secret itself is
 * not kept in a long-lived structure. FNV-1a, 2×32 bits: collisions only make two keys share a budget.
 */
export function fingerprint(secret: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ secret.length;
  for (let i = 0; i < secret.length; i++) {
    const c = secret.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return h1.toString(36) + h2.toString(36);
}
