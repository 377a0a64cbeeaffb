#!/usr/bin/env node
/**
 * Measures rate limits shared across processes (@o11ykit/redis) against a local server that enforces
 * Flashduty's limits exactly, 50 requests/s and 1,000/min (sliding windows over arrival times, 429
 * beyond), and, beside it in the same run, the same workers with the in-process limiter only:
 *   shared      4 worker processes, each with 2 Flashduty clients on the same key, limiters in Redis
 *   in-process  the same 4 × 2 clients with core's default in-process limiter (each process on its own)
 * Each variant runs for DURATION seconds (default 15) with CONCURRENCY callers per client (default 25)
 * keeping requests in flight, maxRetries 0 so every 429 shows. Needs `redis-server` on the PATH (it
 * starts its own on a free port) and the packages built (`pnpm build`).
 *
 * The last line is `shared: <accepted> req/s, ratio <accepted ÷ allowed>, 429s <count>`.
 */
import { spawn } from "node:child_process";
import { setMaxListeners } from "node:events";
import { createRequire } from "node:module";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PER_SECOND = 50;
const PER_MINUTE = 1000;
const WORKERS = 4;
const CLIENTS_PER_WORKER = 2;
const APP_KEY = "bench-shared-key";

if (process.argv[2] === "--worker") await worker(JSON.parse(process.argv[3]));
else await main();

// ---------------------------------------------------------------------------------------------------
// The measuring process: Redis, the strict server, the workers, the figures.

async function main() {
  const seconds = Number(process.env.DURATION ?? 15);
  const concurrency = Number(process.env.CONCURRENCY ?? 25);
  const redis = await startRedisServer();
  try {
    console.log(
      `shared rate limit benchmark: server enforces ${PER_SECOND}/s and ${PER_MINUTE}/min (sliding windows over arrival times, 429 beyond); ` +
        `${WORKERS} processes × ${CLIENTS_PER_WORKER} Flashduty clients on one key, ${concurrency} callers per client, ${seconds} s per variant\n`,
    );
    const allowed = allowedOver(seconds);
    console.log(
      `allowed over ${seconds} s: min(${PER_SECOND} × ⌈${seconds} s / 1 s⌉, ${PER_MINUTE} × ⌈${seconds} s / 60 s⌉) = ` +
        `min(${PER_SECOND * Math.ceil(seconds)}, ${PER_MINUTE * Math.ceil(seconds / 60)}) = ${allowed} requests, ${(allowed / seconds).toFixed(1)} req/s ` +
        `(each sliding window admits at most its limit in any span of its period; accepted = requests the server accepted in the first ${seconds} s after the first arrival)\n`,
    );
    const results = [];
    for (const variant of ["shared", "in-process"]) results.push(await measure(variant, seconds, concurrency, redis.url));
    console.log("variant      accepted   429s    req/s   ratio to allowed");
    for (const r of results) {
      console.log(`${r.variant.padEnd(12)} ${String(r.accepted).padStart(8)} ${String(r.rejected).padStart(6)} ${r.perSecond.toFixed(1).padStart(8)}   ${r.ratio.toFixed(3)}`);
    }
    const shared = results[0];
    console.log(`\nshared: ${shared.perSecond.toFixed(1)} req/s, ratio ${shared.ratio.toFixed(3)}, 429s ${shared.rejected}`);
    if (shared.rejected > 0 || shared.ratio < 0.95) process.exitCode = 1;
  } finally {
    await redis.stop();
  }
}

/** What the two windows let through in `seconds`: each admits at most its limit per span of its period. */
function allowedOver(seconds) {
  return Math.min(PER_SECOND * Math.ceil(seconds), PER_MINUTE * Math.ceil(seconds / 60));
}

async function measure(variant, seconds, concurrency, redisUrl) {
  const server = await startStrictServer();
  try {
    const settings = { variant, baseUrl: server.url, redisUrl, seconds, concurrency, keyPrefix: `bench-${Date.now()}:` };
    const workers = Array.from({ length: WORKERS }, () => startWorker(settings));
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.go();
    const reports = await Promise.all(workers.map((w) => w.done));
    const first = server.acceptedAt[0] ?? 0;
    const accepted = server.acceptedAt.filter((t) => t - first < seconds * 1000).length;
    const failures = reports.reduce((n, r) => n + r.failures, 0);
    if (failures > 0) console.log(`${variant}: ${failures} calls failed without an HTTP answer: ${reports.flatMap((r) => r.messages).slice(0, 3).join("; ")}`);
    return { variant, accepted, rejected: server.rejected, perSecond: accepted / seconds, ratio: accepted / allowedOver(seconds) };
  } finally {
    await server.close();
  }
}

/** A loopback server enforcing both windows exactly on arrival times; answers 429 (no Retry-After) beyond. */
async function startStrictServer() {
  const acceptedAt = [];
  let rejected = 0;
  const windows = [
    { limit: PER_SECOND, periodMs: 1000, start: 0 },
    { limit: PER_MINUTE, periodMs: 60_000, start: 0 },
  ];
  const server = http.createServer((req, res) => {
    const now = performance.now();
    req.resume();
    let full = false;
    for (const w of windows) {
      while (w.start < acceptedAt.length && acceptedAt[w.start] <= now - w.periodMs) w.start++;
      if (acceptedAt.length - w.start >= w.limit) full = true;
    }
    if (full) {
      rejected++;
      res.writeHead(429, { "content-type": "application/json" });
      res.end(JSON.stringify({ request_id: "bench", error: { code: "RequestTooFrequently", message: "rate limit exceeded" } }));
      return;
    }
    acceptedAt.push(now);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ request_id: "bench", data: [] }));
  });
  const sockets = new Set();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    acceptedAt,
    get rejected() {
      return rejected;
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function startWorker(settings) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--worker", JSON.stringify(settings)], { stdio: ["pipe", "pipe", "inherit"] });
  let stdout = "";
  let markReady;
  const ready = new Promise((resolve) => (markReady = resolve));
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
    if (stdout.includes("ready\n")) markReady();
  });
  const done = new Promise((resolve, reject) => {
    child.once("exit", (code) => {
      const last = stdout.trim().split("\n").at(-1);
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`a worker exited with ${code} without a report: ${stdout}`));
      }
    });
  });
  done.catch(() => markReady());
  return {
    ready,
    done,
    go: () => {
      child.stdin.write("go\n");
      child.stdin.end();
    },
  };
}

async function startRedisServer() {
  const port = await new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  await new Promise((resolve, reject) => {
    child.once("error", () => reject(new Error("redis-server not found: install it (apt-get install -y redis-server) to run this benchmark")));
    child.once("spawn", resolve);
  });
  const deadline = Date.now() + 10_000;
  while (!(await ping(port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", resolve);
        child.kill("SIGTERM");
      }),
  };
}

function ping(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(String(data).startsWith("+PONG")));
  });
}

// ---------------------------------------------------------------------------------------------------
// A worker process: 2 Flashduty clients on the same key, callers in a loop until the deadline.

async function worker({ variant, baseUrl, redisUrl, seconds, concurrency, keyPrefix }) {
  const { createFlashdutyClient } = await import("@o11ykit/flashduty");
  let redis;
  let limiters;
  if (variant === "shared") {
    // @o11ykit/redis and its peer ioredis are the redis package's own dependencies, not the root's.
    const fromRedisPackage = createRequire(path.join(root, "packages/redis/package.json"));
    const { Redis } = fromRedisPackage("ioredis");
    const { redisLimiters } = await import(pathToFileURL(path.join(root, "packages/redis/dist/index.js")).href).catch(() => {
      throw new Error("packages/redis is not built: run `pnpm build` first");
    });
    redis = new Redis(redisUrl);
    redis.on("error", () => undefined);
    await redis.ping();
    limiters = redisLimiters({ client: redis, keyPrefix });
  }
  const clients = Array.from({ length: CLIENTS_PER_WORKER }, () =>
    createFlashdutyClient({ appKey: APP_KEY, baseUrl, maxRetries: 0, ...(limiters ? { limiters } : {}) }),
  );
  process.stdout.write("ready\n");
  await new Promise((resolve) => process.stdin.once("data", resolve));
  process.stdin.destroy();

  const report = { statuses: {}, failures: 0, messages: [] };
  const deadline = performance.now() + seconds * 1000;
  // Callers still waiting for a slot at the deadline stop waiting.
  const stop = AbortSignal.timeout(seconds * 1000);
  setMaxListeners(CLIENTS_PER_WORKER * concurrency + 10, stop);
  await Promise.all(
    clients.flatMap((client) =>
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) {
          try {
            const { response } = await client.POST("/monit/datasource/list", { body: {}, signal: stop });
            report.statuses[response.status] = (report.statuses[response.status] ?? 0) + 1;
          } catch (error) {
            if (stop.aborted) break;
            report.failures++;
            if (report.messages.length < 3) report.messages.push(error.message);
          }
        }
      }),
    ),
  );
  if (redis) await redis.quit().catch(() => undefined);
  process.stdout.write(JSON.stringify(report) + "\n");
}
