/**
 * One window (`requests` per `periodMs`) of one bucket, counted in Redis so every process and machine
 * using the credential shares it. Same semantics as core's in-process SlidingWindowLimiter: a slot is
 * held from its grant until one period after its response arrived; waiters of this process are served
 * first-in first-out and leave at once when aborted; `maxWaitMs` fails a call at once when the next
 * free slot is further away; `pauseFor` stops every process sharing the key.
 *
 * Waiting never polls blindly. When the window is full, Redis says when its earliest finished slot
 * leaves it, and the limiter sleeps exactly until then. Only when every slot is held by a request
 * still in flight is that moment unknown (it is one period after a release nobody has seen yet); the
 * limiter then looks again every quarter period (at most every second), which always learns of a
 * release before the slot it frees could be used, and a release in this process wakes it at once.
 */
import {
  RateLimitWaitError,
  releaseQueued,
  WaitQueue,
  type ForgettableLimiter,
  type LimiterRegistry,
  type QueuePlace,
  type Release,
  type SlidingWindowLimiter,
} from "@o11ykit/core";
import { RedisLimiterError } from "./errors.js";
import type { LimiterKeys } from "./keys.js";
import type { ScriptRunner } from "./redis-calls.js";
import { ACQUIRE, CANCEL, PAUSE, RELEASE } from "./scripts.js";

/** What every limiter of one store shares. */
export interface LimiterContext {
  redis: ScriptRunner;
  policy: "fallback" | "fail";
  leaseMs: number;
  retryRedisAfterMs: number;
  /** In-process limiters used while Redis is away (policy "fallback"). */
  fallback: LimiterRegistry;
  /** A slot id unique across processes. */
  newMember(): string;
  onFallback(error: RedisLimiterError): void;
  onRecovered(key: string): void;
}

interface Waiter {
  maxWaitMs: number | undefined;
  signal: AbortSignal | undefined;
  /** When (local clock) the caller asked. */
  since: number;
  /** Its number in the order callers joined the line (see `#refusedUpTo`). */
  joined: number;
  resolve(release: Release): void;
  reject(reason: unknown): void;
  /** Where it stands in line; a grant arriving once it has left (its signal aborted) is given back. */
  place: QueuePlace;
}

/** Longest setTimeout delay Node honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class RedisLimiter implements ForgettableLimiter {
  readonly requests: number;
  readonly periodMs: number;
  readonly key: string;
  readonly #ctx: LimiterContext;
  readonly #keys: LimiterKeys;
  /** How often to look again while every slot is in flight. */
  readonly #pollMs: number;
  #queue = new WaitQueue<Waiter>();
  /** How many callers have joined the line so far. */
  #joined = 0;
  /**
   * Callers who joined up to this number and are still in line when served queued for capacity: Redis
   * answered while they waited that the window had no slot for them. (A number, so that a refusal
   * does not have to mark every waiter of a long line.)
   */
  #refusedUpTo = 0;
  /** An ACQUIRE script is on its way: one at a time per limiter, for the whole head of the queue. */
  #asking = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** What the last full answer said: when (local clock) the next slot frees, if Redis knew. */
  #nextFreeAt: number | undefined;
  #waitingForRelease = false;
  /** Slots Redis granted to this process's callers that they have not released yet. */
  #held = 0;
  #mode: "redis" | "fallback" = "redis";
  /** While in fallback: when (local clock) to try Redis again. */
  #retryRedisAt = 0;

  constructor(key: string, requests: number, periodMs: number, keys: LimiterKeys, ctx: LimiterContext) {
    this.key = key;
    this.requests = requests;
    this.periodMs = periodMs;
    this.#keys = keys;
    this.#ctx = ctx;
    this.#pollMs = Math.min(1000, Math.max(10, periodMs / 4));
  }

  /** "redis", or "fallback" while Redis is away and this process limits on its own. */
  get mode(): "redis" | "fallback" {
    return this.#mode;
  }

  get waiting(): number {
    return this.#queue.size;
  }

  /**
   * True when this process has nothing on this key: no caller waiting or holding a slot, no question to
   * Redis or timer pending, and Redis answering. The store can then forget the limiter; the window's
   * state is in Redis (where idle keys expire) and a new limiter for the key picks it up.
   */
  get idle(): boolean {
    return this.#queue.size === 0 && !this.#asking && this.#timer === undefined && this.#held === 0 && this.#mode === "redis";
  }

  acquire(signal?: AbortSignal, maxWaitMs?: number): Promise<Release> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#mode === "fallback" && performance.now() < this.#retryRedisAt) return this.#local().acquire(signal, maxWaitMs);
    // Waiting already, for a known time: a caller who cannot wait that long is told now.
    if (maxWaitMs !== undefined && this.#timer !== undefined && this.#nextFreeAt !== undefined) {
      const wait = this.#nextFreeAt - performance.now();
      if (wait > maxWaitMs) return Promise.reject(new RateLimitWaitError(this.requests, this.periodMs, wait, maxWaitMs));
    }
    return new Promise((resolve, reject) => {
      const waiter = { maxWaitMs, signal, since: performance.now(), joined: ++this.#joined, resolve, reject } as Waiter;
      waiter.place = this.#queue.push(waiter, signal, (reason) => {
        reject(reason);
        // Nobody left to wake: drop the timer, so an aborted call does not keep the process alive.
        if (this.#queue.size === 0) this.#clearTimer();
      });
      this.#pump();
    });
  }

  pauseFor(ms: number): void {
    if (!(ms > 0)) return;
    // The in-process fallback pauses too, so the pause holds even if Redis goes away meanwhile.
    this.#local().pauseFor(ms);
    this.#ctx.redis.run(PAUSE, [this.#keys.pause], [ms]).then(
      // Look again now: waiters whose budget the pause exceeds are told at once.
      () => this.#pumpNow(),
      () => undefined,
    );
  }

  /** Asks Redis for slots for the head of the queue (as many as the window could hold). */
  #pump(): void {
    if (this.#asking || this.#queue.size === 0) return;
    this.#clearTimer();
    const batch = this.#queue.first(this.requests);
    const members = batch.map(() => this.#ctx.newMember());
    this.#asking = true;
    const keys = [this.#keys.inFlight, this.#keys.finished, this.#keys.pause];
    this.#ctx.redis.run(ACQUIRE, keys, [this.requests, this.periodMs, this.#ctx.leaseMs, ...members], (late) =>
      // Redis answered after we gave up on it: hand back whatever it granted.
      this.#cancel(members.slice(0, parseReply(late).granted)),
    ).then(
      (reply) => {
        this.#asking = false;
        this.#onReply(batch, members, reply);
      },
      (error: unknown) => {
        this.#asking = false;
        this.#onRedisError(error);
      },
    );
  }

  #pumpNow(): void {
    if (this.#asking) return;
    this.#clearTimer();
    this.#pump();
  }

  #onReply(batch: readonly Waiter[], members: readonly string[], reply: unknown): void {
    if (this.#mode === "fallback") {
      this.#mode = "redis";
      this.#ctx.onRecovered(this.key);
    }
    const { granted, waitMs, known } = parseReply(reply);
    const unused: string[] = [];
    for (let i = 0; i < granted; i++) {
      const waiter = batch[i]!;
      // A caller whose signal aborted while Redis answered has left the line: its slot goes back.
      if (!this.#queue.remove(waiter.place)) {
        unused.push(members[i]!);
        continue;
      }
      this.#held++;
      // Time spent only waiting for Redis's answer is not queuing for capacity.
      waiter.resolve(this.#releaseFor(members[i]!, waiter.joined <= this.#refusedUpTo ? performance.now() - waiter.since : 0));
    }
    this.#cancel(unused);
    if (granted === batch.length) {
      // Room for everyone asked for: serve whoever queued meanwhile.
      this.#nextFreeAt = undefined;
      this.#waitingForRelease = false;
      this.#pump();
      return;
    }
    // Redis had no slot for the rest of the batch: whoever is still in line is queuing for capacity.
    this.#refusedUpTo = this.#joined;
    if (unused.length > 0) {
      // Slots granted to callers who left meanwhile were just given back (CANCEL goes out first on
      // the same connection): ask again rather than wait for a slot that is already free.
      this.#pump();
      return;
    }
    // Full, or paused.
    const now = performance.now();
    this.#waitingForRelease = known === 0;
    this.#nextFreeAt = known ? now + waitMs : undefined;
    if (known) {
      // The window will not free a slot within some callers' budgets: tell them now rather than later.
      for (const waiter of this.#queue.takeOverBudget(waitMs)) waiter.reject(new RateLimitWaitError(this.requests, this.periodMs, waitMs, waiter.maxWaitMs!));
    }
    if (this.#queue.size === 0) return;
    const delay = known ? waitMs + 1 : Math.min(waitMs + 1, this.#pollMs);
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#pump();
      },
      Math.min(Math.max(1, delay), MAX_TIMER_MS),
    );
    // Kept ref'd on purpose, as in core: a queued call's promise does not keep Node running, this
    // timer does; it is cleared as soon as the queue empties.
  }

  /** The release of a granted slot, for a caller who queued `queuedMs` for it (0: none). */
  #releaseFor(member: string, queuedMs: number): Release {
    let released = false;
    const release = (sent = true) => {
      if (released) return;
      released = true;
      this.#held--;
      // A request that went out counts one more period; one never sent vanishes (the server did not
      // count it), and whoever waits here can have its slot now.
      const done = sent
        ? this.#ctx.redis.run(RELEASE, [this.#keys.inFlight, this.#keys.finished], [this.periodMs, member])
        : this.#ctx.redis.run(CANCEL, [this.#keys.inFlight], [member]);
      done.then(
        // Our own release: the wait is now known, no need to wait for the next look.
        () => {
          if (this.#waitingForRelease || !sent) this.#pumpNow();
        },
        // Unreachable Redis: the slot lapses with its lease, which is all that can be done.
        () => undefined,
      );
    };
    return releaseQueued(release, queuedMs);
  }

  #cancel(members: readonly string[]): void {
    if (members.length === 0) return;
    this.#ctx.redis.run(CANCEL, [this.#keys.inFlight], members).catch(() => undefined);
  }

  #onRedisError(cause: unknown): void {
    const { policy } = this.#ctx;
    const error = new RedisLimiterError(this.key, this.requests, this.periodMs, cause, policy);
    const waiting = this.#queue.takeAll();
    this.#clearTimer();
    this.#nextFreeAt = undefined;
    if (policy === "fail") {
      for (const waiter of waiting) waiter.reject(error);
      return;
    }
    this.#retryRedisAt = performance.now() + this.#ctx.retryRedisAfterMs;
    if (this.#mode === "redis") {
      this.#mode = "fallback";
      this.#ctx.onFallback(error);
    }
    // In their order, so the in-process limiter keeps them first-in first-out.
    for (const waiter of waiting) this.#local().acquire(waiter.signal, waiter.maxWaitMs).then(waiter.resolve, waiter.reject);
  }

  #local(): SlidingWindowLimiter {
    return this.#ctx.fallback.get(this.key, this.requests, this.periodMs);
  }

  #clearTimer(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** The ACQUIRE script's answer, `{granted, waitMs, known}`. */
function parseReply(reply: unknown): { granted: number; waitMs: number; known: number } {
  const [granted, waitMs, known] = (Array.isArray(reply) ? reply : []).map((n) => (Number.isFinite(Number(n)) ? Number(n) : 0));
  return { granted: granted ?? 0, waitMs: Math.max(0, waitMs ?? 0), known: known ?? 1 };
}
