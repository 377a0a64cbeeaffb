/**
 * Redis Cluster: three masters on loopback. The scripts touch several keys at once, which a cluster
 * accepts only when they share a hash slot; every key of one credential carries the same hash tag.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Cluster } from "ioredis";
import { freePort } from "@o11ykit/mock";
import { afterAll, beforeAll, expect, it } from "vitest";
import { redisLimiters } from "../src/index.js";

const nodes: ChildProcess[] = [];
const ports: number[] = [];
let dir: string;
let cluster: Cluster;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "o11ykit-redis-cluster-"));
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    ports.push(port);
    // prettier-ignore
    nodes.push(spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--cluster-enabled", "yes", "--cluster-config-file", path.join(dir, `nodes-${port}.conf`), "--dir", dir], { stdio: "ignore" }));
  }
  for (const port of ports) await waitFor(() => spawnSync("redis-cli", ["-p", String(port), "PING"]).stdout?.toString().trim() === "PONG");
  const created = spawnSync("redis-cli", ["--cluster", "create", ...ports.map((p) => `127.0.0.1:${p}`), "--cluster-yes"], { encoding: "utf8" });
  if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
  for (const port of ports) await waitFor(() => spawnSync("redis-cli", ["-p", String(port), "CLUSTER", "INFO"]).stdout?.toString().includes("cluster_state:ok"));
  cluster = new Cluster(ports.map((port) => ({ host: "127.0.0.1", port })));
  cluster.on("error", () => undefined);
}, 30_000);

afterAll(async () => {
  cluster?.disconnect();
  for (const node of nodes) node.kill("SIGKILL");
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function waitFor(check: () => boolean | undefined): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("the test cluster did not come up");
    await new Promise((r) => setTimeout(r, 100));
  }
}

it("works on a Redis Cluster: every credential's scripts run in one slot, across many credentials", async () => {
  const [a, b] = [redisLimiters({ client: cluster, onRedisError: "fail" }), redisLimiters({ client: cluster, onRedisError: "fail" })];
  // Enough credentials to land on every node.
  for (let i = 0; i < 12; i++) {
    const key = `flashduty|credential${i}|account-per-second`;
    const [first, second] = [a.get(key, 1, 300), b.get(key, 1, 300)];
    const release = await first.acquire();
    const t0 = performance.now();
    setTimeout(release, 50);
    first.pauseFor(10);
    (await second.acquire())();
    // Shared through the cluster: the second waited for the first's release plus the period.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(340);
  }
  const keys = (await Promise.all(cluster.nodes("master").map((node) => node.keys("o11ykit:rl:*")))).map((k) => k.length);
  expect(keys.filter((n) => n > 0).length).toBeGreaterThan(1);
}, 30_000);
