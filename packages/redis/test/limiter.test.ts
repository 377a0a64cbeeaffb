/**
 * The Redis limiter's semantics, against a real redis-server. Several stores in one process, each
 * with its own connection, stand for several processes: they share nothing but Redis.
 */
import { getEventListeners } from "node:events";
import net from "node:net";
import { Redis, type RedisOptions } from "ioredis";
import { createFlashdutyClient } from "@o11ykit/flashduty";
import { ConfigError, O11ykitError, RateLimitError, RateLimitWaitError } from "@o11ykit/core";
import { startRateLimitedServer } from "@o11ykit/mock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RedisLimiterError, redisLimiters, type RedisLimitersOptions } from "../src/index.js";
import { startRedis, type TestRedis } from "./redis-server.js";

let server: TestRedis;
const connections: Redis[] = [];
let keyCounter = 0;

beforeAll(async () => {
  server = await startRedis();
});
afterEach(() => {
  for (const connection of connections.splice(0)) connection.disconnect();
});
afterAll(() => server.stop());

function connect(url = server.url, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, ...options });
  redis.on("error", () => undefined);
  connections.push(redis);
  return redis;
}

/** A store with its own connection: one "process". */
function store(options: Partial<RedisLimitersOptions> = {}) {
  return redisLimiters({ client: connect(), ...options });
}

/** A key no other test uses, shaped like the client's: `<api>|<fingerprint>|<bucket>`. */
function freshKey(): string {
  return `test|fp${++keyCounter}|bucket`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function inFlightCount(prefixPattern = "o11ykit:rl:*:in-flight"): Promise<number> {
  const redis = connect();
  let total = 0;
  for (const key of await redis.keys(prefixPattern)) total += await redis.zcard(key);
  return total;
}

describe("the sliding window", () => {
  it("holds a slot from grant until one period after release, across stores", async () => {
    const key = freshKey();
    const [a, b] = [store().get(key, 3, 300), store().get(key, 3, 300)];
    const grants: number[] = [];
    const releases: number[] = [];
    const take = async (limiter: typeof a, holdMs: number) => {
      const release = await limiter.acquire();
      const index = grants.push(performance.now()) - 1;
      await sleep(holdMs);
      releases[index] = performance.now();
      release();
    };
    await Promise.all(Array.from({ length: 9 }, (_, i) => take(i % 2 ? a : b, 20 + (i % 3) * 30)));
    const sorted = grants.map((g, i) => ({ g, r: releases[i]! })).sort((x, y) => x.g - y.g);
    // Grant k waits for the k-3th slot to have left the window: released, plus a full period.
    const ends = sorted.map((s) => s.r).sort((x, y) => x - y);
    for (let k = 3; k < sorted.length; k++) expect(sorted[k]!.g - ends[k - 3]!).toBeGreaterThanOrEqual(299);
    // And not much later than that (no polling delay when Redis knows the time).
    for (let k = 3; k < sorted.length; k++) expect(sorted[k]!.g - ends[k - 3]!).toBeLessThan(500);
  });

  it("a slot still in flight holds the window until its release (a release in another store is noticed)", async () => {
    const key = freshKey();
    const [a, b] = [store().get(key, 1, 200), store().get(key, 1, 200)];
    const t0 = performance.now();
    const release = await a.acquire();
    setTimeout(release, 400);
    await b.acquire();
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(599);
    expect(waited).toBeLessThan(900);
  });

  it("a slot whose request was never sent is free again at once, here and in other stores", async () => {
    const key = freshKey();
    const [a, b] = [store().get(key, 1, 60_000), store().get(key, 1, 60_000)];
    const first = await a.acquire();
    const next = a.acquire(); // the window is full for a minute once a request is sent
    await sleep(50);
    first(false);
    const stuck = (ms: number) => new Promise((r) => setTimeout(r, ms, `still waiting after ${ms} ms`));
    const second = await Promise.race([next, stuck(2_000)]);
    expect(typeof second).toBe("function");
    (second as (sent?: boolean) => void)(false);
    // Another process sees the slot free too (Redis no longer holds it).
    const third = await Promise.race([b.acquire(), stuck(2_000)]);
    expect(typeof third).toBe("function");
    (third as () => void)(); // sent: this one counts for the period
    await sleep(50);
    expect(await Promise.race([a.acquire(undefined, 1_000).catch((e: Error) => e.name), stuck(2_000)])).toBe("RateLimitWaitError");
  });

  it("says how long a caller queued for a slot, and nothing when Redis granted one at once", async () => {
    const limiter = store().get(freshKey(), 1, 300);
    const first = await limiter.acquire();
    expect(first.queuedMs).toBeUndefined(); // a round trip to Redis, but no queuing
    const queued = limiter.acquire();
    await sleep(100);
    first(); // the slot frees 300 ms after this
    const { queuedMs } = await queued;
    expect(queuedMs).toBeGreaterThanOrEqual(399);
    expect(queuedMs).toBeLessThan(900);
  });

  it("maxWaitMs: fails at once with RateLimitWaitError when the next slot is further away, waits when it is not", async () => {
    const key = freshKey();
    const limiter = store().get(key, 2, 1000);
    (await limiter.acquire())();
    (await limiter.acquire())();
    const t0 = performance.now();
    const refused = await limiter.acquire(undefined, 200).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimitWaitError);
    expect((refused as RateLimitWaitError).waitMs).toBeGreaterThan(800);
    expect(performance.now() - t0).toBeLessThan(150);
    // A caller arriving while the limiter already waits for a known time is told without asking Redis.
    const waiting = limiter.acquire(undefined, 5000);
    await sleep(50);
    const refusedToo = await limiter.acquire(undefined, 100).catch((e: unknown) => e);
    expect(refusedToo).toBeInstanceOf(RateLimitWaitError);
    (await waiting)();
    expect(performance.now() - t0).toBeGreaterThan(900);
  });

  it("maxWaitMs does not refuse while every slot is in flight (the wait is unknown, as in core)", async () => {
    const limiter = store().get(freshKey(), 1, 1000);
    const release = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal, 100).catch((e: unknown) => e);
    await sleep(300);
    controller.abort(new Error("stop"));
    expect(((await waiting) as Error).message).toBe("stop");
    release();
  });

  it("pauseFor in one store stops every store sharing the key, and tells callers the pause exceeds at once", async () => {
    const key = freshKey();
    const [a, b] = [store().get(key, 10, 1000), store().get(key, 10, 1000)];
    (await b.acquire())();
    const t0 = performance.now();
    a.pauseFor(600);
    await sleep(20);
    const refused = await b.acquire(undefined, 300).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimitWaitError);
    await b.acquire();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(590);
  });

  it("a crashed holder's slot lapses after its lease (plus a period), not never", async () => {
    const key = freshKey();
    const crashed = store({ leaseMs: 300 }).get(key, 1, 200);
    await crashed.acquire(); // never released
    const t0 = performance.now();
    await store().get(key, 1, 200).acquire();
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(450);
    // Found by looking again every quarter period, not by waiting on a timer for the whole lease.
    expect(waited).toBeLessThan(1000);
  });
});

describe("abort", () => {
  it("a waiter leaves at once with the signal's reason, and no slot stays taken", async () => {
    const key = freshKey();
    const limiter = store().get(key, 1, 5000);
    const release = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal).catch((e: unknown) => e);
    await sleep(100);
    const reason = new Error("user gave up");
    const t0 = performance.now();
    controller.abort(reason);
    expect(await waiting).toBe(reason);
    expect(performance.now() - t0).toBeLessThan(20);
    expect(limiter.waiting).toBe(0);
    release();
    await sleep(50);
    const redis = connect();
    const [finishedKey] = await redis.keys(`*{test|fp${keyCounter}}*:finished`);
    expect(await redis.zcard(finishedKey!)).toBe(1);
    expect(await inFlightCount(`*{test|fp${keyCounter}}*:in-flight`)).toBe(0);
  });

  it("a line sharing one signal leaves through one listener when it aborts, and the caller behind it is served", async () => {
    const limiter = store().get(freshKey(), 1, 300);
    const hold = await limiter.acquire();
    const controller = new AbortController();
    const line = Array.from({ length: 200 }, () => limiter.acquire(controller.signal).then(() => "granted", (e: Error) => e.message));
    const behind = limiter.acquire();
    await sleep(50);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    controller.abort(new Error("job cancelled"));
    expect(await Promise.all(line)).toEqual(Array.from({ length: 200 }, () => "job cancelled"));
    expect(limiter.waiting).toBe(1);
    hold();
    (await behind)();
    expect(limiter.waiting).toBe(0);
  });

  it("an abort while Redis is granting: rejected at once, and the grant is given back", async () => {
    const key = freshKey();
    const limiter = store().get(key, 5, 5000);
    const admin = connect();
    await admin.call("CLIENT", "PAUSE", "300", "WRITE");
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal).catch((e: unknown) => e);
    await sleep(50);
    const t0 = performance.now();
    controller.abort(new Error("gone"));
    expect(((await waiting) as Error).message).toBe("gone");
    expect(performance.now() - t0).toBeLessThan(20);
    await sleep(500);
    expect(await inFlightCount(`*{test|fp${keyCounter}}*:in-flight`)).toBe(0);
  });

  it("a client call waiting on the shared limiter rejects with the signal's reason", async () => {
    const http = await startRateLimitedServer({ limit: 100, periodMs: 1000 });
    try {
      const limiters = store();
      const fd = createFlashdutyClient({ appKey: "abort-key", baseUrl: http.url, limiters, rateLimits: { "account-per-second": { requests: 1, periodSeconds: 5 } } });
      expect((await fd.POST("/monit/datasource/list", { body: {} })).error).toBeUndefined();
      const controller = new AbortController();
      const call = fd.POST("/monit/datasource/list", { body: {}, signal: controller.signal }).catch((e: unknown) => e);
      await sleep(100);
      const reason = new Error("cancelled by the user");
      controller.abort(reason);
      expect(await call).toBe(reason);
      expect(http.accepted).toBe(1);
    } finally {
      await http.close();
    }
  });
});

describe("keys", () => {
  it("a key prefix separates budgets, the same prefix shares one, and every key starts with it", async () => {
    const key = freshKey();
    const teamA = store({ keyPrefix: "team-a:" }).get(key, 1, 5000);
    const teamB = store({ keyPrefix: "team-b:" }).get(key, 1, 5000);
    const teamAToo = store({ keyPrefix: "team-a:" }).get(key, 1, 5000);
    (await teamA.acquire())();
    (await teamB.acquire(undefined, 100))(); // its own budget: granted at once
    await expect(teamAToo.acquire(undefined, 100)).rejects.toBeInstanceOf(RateLimitWaitError); // teamA's budget, used up
    const keys = await connect().keys(`*{test|fp${keyCounter}}*`);
    expect(keys.sort()).toEqual([
      `team-a:{test|fp${keyCounter}}|bucket|1/5000:finished`,
      `team-b:{test|fp${keyCounter}}|bucket|1/5000:finished`,
    ]);
  });

  it("keys carry the prefix and one hash tag per credential; neither keys nor values hold the secret", async () => {
    const secret = "fd-app-key-SECRET-1234567890";
    const http = await startRateLimitedServer({ limit: 100, periodMs: 1000 });
    try {
      const fd = createFlashdutyClient({ appKey: secret, baseUrl: http.url, limiters: store({ keyPrefix: "acme:" }) });
      const res = await fd.POST("/monit/datasource/list", { body: {} });
      expect(res.error).toBeUndefined();
      const redis = connect();
      const keys = await redis.keys("acme:*");
      expect(keys.length).toBeGreaterThanOrEqual(2); // both Flashduty windows
      const tags = new Set(keys.map((k) => /^acme:(\{[^}]*\})\|/.exec(k)?.[1]));
      expect(tags.size).toBe(1);
      expect([...tags][0]).toMatch(/^\{flashduty\|[a-z0-9]+\}$/);
      let everything = keys.join("\n");
      for (const k of keys) {
        const type = await redis.type(k);
        everything += "\n" + (type === "zset" ? (await redis.zrange(k, "0", "-1", "WITHSCORES")).join(" ") : String(await redis.get(k)));
      }
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain("SECRET");
    } finally {
      await http.close();
    }
  });
});

describe("state that stays bounded", () => {
  it("the store forgets the limiters of credentials this process stopped using, never one in use", async () => {
    const limiters = store();
    const busy = limiters.get(freshKey(), 1, 60_000);
    const held = await busy.acquire(); // in flight all along
    const full = limiters.get(freshKey(), 1, 60_000);
    (await full.acquire())();
    const leave = new AbortController();
    const queued = full.acquire(leave.signal); // would wait a minute in line
    // A multi-tenant service: 1,000 credentials, one call each.
    for (let i = 0; i < 1000; i++) (await limiters.get(freshKey(), 5, 1000).acquire())();
    expect(limiters.size).toBeLessThanOrEqual(2 + 256); // swept now and then as limiters are made
    limiters.sweep();
    expect(limiters.size).toBe(2);
    expect(limiters.get(busy.key, 1, 60_000)).toBe(busy);
    expect(limiters.get(full.key, 1, 60_000)).toBe(full);
    expect(full.waiting).toBe(1);
    leave.abort(new Error("done"));
    await expect(queued).rejects.toThrow("done");
    held();
  }, 30_000); // 2,000 Redis round trips: well under a second alone, more on a loaded machine
});

describe("when Redis does not answer", () => {
  /** A port with nothing listening. */
  async function deadUrl(): Promise<string> {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((r) => probe.close(r));
    return `redis://127.0.0.1:${port}`;
  }

  /** A server that accepts connections and never answers: the hang every call must be bounded against. */
  async function blackHole() {
    const sockets = new Set<net.Socket>();
    const hole = net.createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => undefined);
    });
    await new Promise<void>((r) => hole.listen(0, "127.0.0.1", r));
    const { port } = hole.address() as net.AddressInfo;
    return {
      url: `redis://127.0.0.1:${port}`,
      close: () => {
        for (const s of sockets) s.destroy();
        return new Promise((r) => hole.close(r));
      },
    };
  }

  it('"fail": the call fails at once with a RateLimitError (an O11ykitError) that names Redis and no secret', async () => {
    const secret = "fd-app-key-FAIL-SECRET";
    const limiters = redisLimiters({ client: connect(await deadUrl(), { enableOfflineQueue: false }), onRedisError: "fail", commandTimeoutMs: 300 });
    const fd = createFlashdutyClient({ appKey: secret, baseUrl: "http://127.0.0.1:9", limiters, maxRetries: 2 });
    const t0 = performance.now();
    const error = await fd.POST("/monit/datasource/list", { body: {} }).catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toBeInstanceOf(O11ykitError);
    expect((error as Error).message).toMatch(/was not sent: the shared rate limit of 1000 requests per 60 s .* could not be checked in Redis/);
    expect((error as Error).message).toContain('`onRedisError: "fallback"`');
    expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain(secret);
  });

  it('"fail" against a Redis that never answers: bounded by commandTimeoutMs', async () => {
    const hole = await blackHole();
    try {
      const limiter = redisLimiters({ client: connect(hole.url), onRedisError: "fail", commandTimeoutMs: 250 }).get(freshKey(), 5, 1000);
      const t0 = performance.now();
      const error = await limiter.acquire().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisLimiterError);
      expect((error as Error).message).toContain("did not answer within 250 ms");
      expect(performance.now() - t0).toBeLessThan(600);
    } finally {
      await hole.close();
    }
  });

  it('"fallback": limits in-process (same window rules), tells onFallback once, and calls succeed', async () => {
    const hole = await blackHole();
    try {
      const told: RedisLimiterError[] = [];
      const limiter = redisLimiters({ client: connect(hole.url), commandTimeoutMs: 200, retryRedisAfterMs: 60_000, onFallback: (e) => told.push(e) }).get(freshKey(), 2, 500);
      const t0 = performance.now();
      const grants = await Promise.all([0, 1, 2].map(async () => {
        const release = await limiter.acquire();
        const at = performance.now() - t0;
        release();
        return at;
      }));
      expect(told).toHaveLength(1);
      expect(told[0]!.message).toContain("limiting in this process only");
      expect(limiter.mode).toBe("fallback");
      // Two at once (after the 200 ms timeout), the third a period after the first two were released.
      grants.sort((x, y) => x - y);
      expect(grants[1]!).toBeLessThan(400);
      expect(grants[2]! - grants[1]!).toBeGreaterThanOrEqual(499);
    } finally {
      await hole.close();
    }
  });

  it("a throwing onFallback does not break limiting", async () => {
    const limiter = redisLimiters({
      client: connect(await deadUrl(), { enableOfflineQueue: false }),
      onFallback: () => {
        throw new Error("bad callback");
      },
    }).get(freshKey(), 1, 100);
    (await limiter.acquire())();
  });
});

describe("options", () => {
  const client = () => connect();
  it.each([
    [{ client: undefined }, /option `client` must be an ioredis client .* got undefined/],
    [{ client: {} }, /option `client` must be an ioredis client/],
    [{ client: "redis://localhost" }, /option `client` must be an ioredis client .* got string/],
    [{ onRedisError: "ignore" }, /option `onRedisError` must be "fallback" or "fail", got "ignore"/],
    [{ commandTimeoutMs: 0 }, /option `commandTimeoutMs` must be a positive number of milliseconds, got 0/],
    [{ leaseMs: Number.NaN }, /option `leaseMs` must be a positive number/],
    [{ keyPrefix: 5 }, /option `keyPrefix` must be a string/],
    [{ onFallback: "log" }, /option `onFallback` must be a function/],
    [{ comandTimeoutMs: 100 }, /unknown option `comandTimeoutMs` \(did you mean `commandTimeoutMs`\?\)/],
  ])("refuses %j with a ConfigError naming the option", (options, message) => {
    const full = "client" in options ? options : { client: client(), ...options };
    const attempt = () => redisLimiters(full as unknown as RedisLimitersOptions);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });

  it("refuses a limit the window cannot hold, as core does", () => {
    const s = store();
    expect(() => s.get("k|f|b", 0, 1000)).toThrow(RangeError);
    expect(() => s.get("k|f|b", 1, 0)).toThrow(RangeError);
  });

  it("hands out one limiter per key and limit", () => {
    const s = store();
    expect(s.get("k|f|b", 5, 1000)).toBe(s.get("k|f|b", 5, 1000));
    expect(s.get("k|f|b", 5, 1000)).not.toBe(s.get("k|f|b", 6, 1000));
  });
});
