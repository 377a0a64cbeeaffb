import { getEventListeners } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { acquireAll, fingerprint, LimiterRegistry, SlidingWindowLimiter } from "../src/rate-limiter.js";

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

/** Starts `n` acquisitions and records when each is granted. */
function grab(limiter: SlidingWindowLimiter, n: number, signal?: AbortSignal) {
  const granted: number[] = [];
  const releases: Array<(sent?: boolean) => void> = [];
  const promises = Array.from({ length: n }, (_, i) =>
    limiter.acquire(signal).then((release) => {
      granted[i] = Date.now();
      releases[i] = release;
    }),
  );
  return { granted, releases, promises };
}

describe("SlidingWindowLimiter", () => {
  it("grants up to the limit at once and holds the rest", async () => {
    const limiter = new SlidingWindowLimiter(3, 1000);
    const { granted } = grab(limiter, 5);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted.filter((t) => t !== undefined)).toEqual([0, 0, 0]);
    expect(limiter.waiting).toBe(2);
  });

  it("frees a slot at once when its request was never sent, and serves the next caller", async () => {
    const limiter = new SlidingWindowLimiter(1, 1000);
    const { granted, releases } = grab(limiter, 3);
    await vi.advanceTimersByTimeAsync(50);
    releases[0]!(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted[1]).toBe(50);
    releases[1]!(); // sent: the window holds it for a period
    await vi.advanceTimersByTimeAsync(999);
    expect(granted[2]).toBeUndefined();
    await vi.advanceTimersByTimeAsync(2);
    expect(granted[2]).toBe(1051);
  });

  it("frees a slot one period after the request completed, not after it started", async () => {
    const limiter = new SlidingWindowLimiter(1, 1000);
    const { granted, releases } = grab(limiter, 2);
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(300); // the first request takes 300 ms
    releases[0]!();
    await vi.advanceTimersByTimeAsync(999);
    expect(granted[1]).toBeUndefined();
    await vi.advanceTimersByTimeAsync(2);
    expect(granted[1]).toBe(1301);
  });

  it("never lets more than `requests` start in any window", async () => {
    const limiter = new SlidingWindowLimiter(5, 1000);
    const { granted, releases, promises } = grab(limiter, 23);
    for (let t = 0; t < 6000; t += 10) {
      releases.forEach((r) => r?.()); // requests finish as soon as they start
      await vi.advanceTimersByTimeAsync(10);
    }
    await Promise.all(promises);
    for (const start of granted) {
      expect(granted.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(5);
    }
    expect(Math.max(...granted)).toBeLessThan(4 * 1000 + 100); // and it keeps close to the limit
  });

  it("serves waiters first-in first-out", async () => {
    const limiter = new SlidingWindowLimiter(1, 100);
    const order: number[] = [];
    const first = await limiter.acquire();
    const waiting = [1, 2, 3].map((i) => limiter.acquire().then((release) => (order.push(i), release())));
    first();
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
  });

  it("rejects an aborted waiter at once and lets the next one through", async () => {
    const limiter = new SlidingWindowLimiter(1, 1000);
    const hold = await limiter.acquire();
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal);
    const next = limiter.acquire();
    controller.abort(new Error("caller gave up"));
    await expect(aborted).rejects.toThrow("caller gave up");
    expect(limiter.waiting).toBe(1);
    hold();
    await vi.advanceTimersByTimeAsync(1001);
    await expect(next).resolves.toBeTypeOf("function");
  });

  it("lets a whole line sharing one signal go when it aborts, through one listener, and serves who is left", async () => {
    const limiter = new SlidingWindowLimiter(1, 1000);
    const hold = await limiter.acquire();
    const controller = new AbortController();
    const order: string[] = [];
    const batch = Array.from({ length: 200 }, (_, i) => limiter.acquire(controller.signal).then(() => order.push(`batch ${i}`), (e: Error) => e.message));
    const before = limiter.acquire().then(() => order.push("other"));
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    controller.abort(new Error("job cancelled"));
    expect(await Promise.all(batch)).toEqual(Array.from({ length: 200 }, () => "job cancelled"));
    expect(limiter.waiting).toBe(1);
    hold();
    await vi.advanceTimersByTimeAsync(1001);
    await before;
    expect(order).toEqual(["other"]);
  });

  it("refuses, when the wait grows, exactly the callers whose budget it exceeds, also after the tightest one left", async () => {
    const limiter = new SlidingWindowLimiter(1, 1000);
    (await limiter.acquire())(); // the window is full for a second
    const outcome = (p: Promise<unknown>) => p.then(() => "granted", (e: Error) => e.name);
    const controller = new AbortController();
    const tight = outcome(limiter.acquire(controller.signal, 5_000));
    const minute = outcome(limiter.acquire(undefined, 60_000));
    const unbounded = outcome(limiter.acquire());
    controller.abort(new Error("gone"));
    expect(await tight).toBe("Error");
    limiter.pauseFor(30_000); // over the budget of the caller who left, within everyone else's
    await vi.advanceTimersByTimeAsync(0);
    expect(limiter.waiting).toBe(2);
    limiter.pauseFor(90_000); // over the minute's budget
    expect(await minute).toBe("RateLimitWaitError");
    expect(limiter.waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(90_001);
    expect(await unbounded).toBe("granted");
  });

  it("says how long a caller queued for capacity, and nothing when a slot was free", async () => {
    const limiter = new SlidingWindowLimiter(1, 1000);
    const first = await limiter.acquire();
    expect(first.queuedMs).toBeUndefined();
    const queued = limiter.acquire();
    await vi.advanceTimersByTimeAsync(200);
    first(); // the slot frees 1000 ms after this
    await vi.advanceTimersByTimeAsync(1001);
    expect((await queued).queuedMs).toBe(1201);
  });

  it("validates its limits", () => {
    expect(() => new SlidingWindowLimiter(0, 1000)).toThrow(/positive integer/);
    expect(() => new SlidingWindowLimiter(1, 0)).toThrow(/positive/);
  });
});

describe("acquireAll", () => {
  it("waits for every window: 2 per 100 ms and 3 per 1000 ms", async () => {
    const fast = new SlidingWindowLimiter(2, 100);
    const slow = new SlidingWindowLimiter(3, 1000);
    const granted: number[] = [];
    const all = Array.from({ length: 4 }, () =>
      acquireAll([fast, slow]).then((release) => {
        granted.push(Date.now());
        release();
      }),
    );
    await vi.advanceTimersByTimeAsync(2000);
    await Promise.all(all);
    expect(granted.slice(0, 2)).toEqual([0, 0]);
    expect(granted[2]).toBeGreaterThanOrEqual(100);
    expect(granted[3]).toBeGreaterThanOrEqual(1000);
  });

  it("reports the time queued in every window together, and nothing when no window made it wait", async () => {
    const fast = new SlidingWindowLimiter(1, 100);
    const slow = new SlidingWindowLimiter(2, 1000);
    const first = await acquireAll([fast, slow]);
    expect(first.queuedMs).toBeUndefined();
    first();
    const second = acquireAll([fast, slow]); // fast frees at 100 ms, slow has room
    const third = acquireAll([fast, slow]); // then fast frees at 201 ms, and slow (the first's slot) at 1000 ms
    await vi.advanceTimersByTimeAsync(101);
    const secondRelease = await second;
    expect(secondRelease.queuedMs).toBe(101);
    secondRelease();
    await vi.advanceTimersByTimeAsync(1100);
    const thirdRelease = await third;
    expect(thirdRelease.queuedMs).toBe(1001); // 202 ms in fast's line, then 799 ms in slow's
  });

  it("gives back slots it took when a later window's wait is aborted, free at once (nothing was sent)", async () => {
    const a = new SlidingWindowLimiter(1, 1000);
    const b = new SlidingWindowLimiter(1, 1000);
    await b.acquire(); // b is full
    const controller = new AbortController();
    const pending = acquireAll([a, b], controller.signal);
    await vi.advanceTimersByTimeAsync(0);
    expect(a.inUse).toBe(1);
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
    expect(a.inUse).toBe(0);
    expect((await a.acquire()).queuedMs).toBeUndefined();
  });
});

describe("LimiterRegistry and fingerprint", () => {
  it("shares a limiter per key and limit", () => {
    const registry = new LimiterRegistry();
    expect(registry.get("k", 5, 1000)).toBe(registry.get("k", 5, 1000));
    expect(registry.get("k", 5, 1000)).not.toBe(registry.get("other", 5, 1000));
  });
  it("fingerprints without revealing the secret", () => {
    const fp = fingerprint("super-secret-app-key");
    expect(fp).not.toContain("secret");
    expect(fp).toBe(fingerprint("super-secret-app-key"));
    expect(fp).not.toBe(fingerprint("super-secret-app-kez"));
  });
});

describe("waiting budget", () => {
  it("fails at once when the known wait exceeds the caller's budget", async () => {
    const limiter = new SlidingWindowLimiter(2, 3_600_000);
    (await limiter.acquire())();
    (await limiter.acquire())();
    expect(limiter.nextFreeInMs()).toBe(3_600_000);
    await expect(limiter.acquire(undefined, 60_000)).rejects.toThrow(/2 requests per 3600 s is used up; the next slot frees in 3600 s, longer than the 60 s/);
    expect(limiter.waiting).toBe(0);
  });
  it("waits when the wait fits the budget", async () => {
    const limiter = new SlidingWindowLimiter(1, 1000);
    (await limiter.acquire())();
    const pending = limiter.acquire(undefined, 5000);
    await vi.advanceTimersByTimeAsync(1001);
    await expect(pending).resolves.toBeTypeOf("function");
  });
});

describe("waiting in line", () => {
  it("lets a long line wait while the window frees slots within the budget (bulk jobs run at the limit)", async () => {
    const limiter = new SlidingWindowLimiter(2, 1000);
    const granted: number[] = [];
    const all = Array.from({ length: 10 }, () =>
      limiter.acquire(undefined, 1500).then((release) => {
        granted.push(Date.now());
        release();
      }),
    );
    await vi.advanceTimersByTimeAsync(6000);
    await Promise.all(all);
    expect(granted).toHaveLength(10); // the last waited ~4 s, longer than its 1.5 s budget, but never for a window
  });

  it("rejects everyone in line once the window's next slot is beyond their budget", async () => {
    const limiter = new SlidingWindowLimiter(1, 3_600_000);
    const first = await limiter.acquire(undefined, 60_000); // in flight: the wait is unknown until it ends
    const queued = [limiter.acquire(undefined, 60_000), limiter.acquire(undefined, 60_000)];
    first();
    await expect(Promise.all(queued)).rejects.toThrow(/used up; the next slot frees in 3600 s/);
    expect(limiter.waiting).toBe(0);
  });
});

describe("state that stays bounded", () => {
  it("the registry forgets credentials whose windows have emptied, and never one still in use", async () => {
    const registry = new LimiterRegistry();
    const busy = registry.get("api|busy|b", 1, 1000);
    const release = await busy.acquire();
    for (let i = 0; i < 10_000; i++) {
      const limiter = registry.get(`api|tenant-${i}|b`, 5, 1000);
      (await limiter.acquire())();
      vi.advanceTimersByTime(1); // each tenant's single request leaves its window 1 s later
    }
    await vi.advanceTimersByTimeAsync(1_001);
    registry.sweep();
    expect(registry.size).toBe(1); // only the credential with a request still in flight
    expect(registry.get("api|busy|b", 1, 1000)).toBe(busy);
    release();
  });

  it("a limiter just handed out is never forgotten before its caller takes a slot", async () => {
    // The registry sweeps every 256 new limiters; the one being created at that moment is idle.
    const registry = new LimiterRegistry();
    const held: Array<{ key: string; limiter: SlidingWindowLimiter; release: () => void }> = [];
    for (let i = 0; i < 600; i++) {
      const key = `api|tenant-${i}|b`;
      const limiter = registry.get(key, 5, 1000);
      held.push({ key, limiter, release: await limiter.acquire() });
    }
    for (const { key, limiter } of held) expect(registry.get(key, 5, 1000)).toBe(limiter);
    for (const { release } of held) release();
  });

  it("a long window of many slots keeps acquire cheap and exact", async () => {
    const limiter = new SlidingWindowLimiter(20_000, 60_000);
    for (let i = 0; i < 20_000; i++) (await limiter.acquire())();
    expect(limiter.inUse).toBe(20_000);
    let granted = false;
    void limiter.acquire().then(() => (granted = true));
    await vi.advanceTimersByTimeAsync(59_999);
    expect(granted).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    expect(granted).toBe(true);
  });
});

describe("pauses", () => {
  it("a waiter behind a pause is granted when the pause ends, not when a long window's oldest slot frees", async () => {
    const minute = new SlidingWindowLimiter(1000, 60_000);
    (await minute.acquire())(); // one finished slot: it leaves the window only after 60 s
    minute.pauseFor(2_000);
    let grantedAt: number | undefined;
    void minute.acquire().then(() => (grantedAt = Date.now()));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(grantedAt).toBeUndefined();
    await vi.advanceTimersByTimeAsync(10);
    expect(grantedAt).toBeGreaterThanOrEqual(2_000);
    expect(grantedAt).toBeLessThan(2_100);
  });
});
