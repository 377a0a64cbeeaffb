import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { startPrism, startRateLimitedServer, type PrismServer } from "../src/index.js";
import { isAlive } from "./is-alive.js";

/**
 * The Flashduty spec with its data-source operations only: what startPrism does does not depend on the
 * spec's size, and Prism starts on this in about half the CPU time it takes on the whole API.
 */
function dataSourceSpec(): string {
  const full = JSON.parse(fs.readFileSync(fileURLToPath(new URL("../../flashduty/src/generated/openapi.json", import.meta.url)), "utf8"));
  const paths = Object.fromEntries(Object.entries(full.paths).filter(([p]) => p.startsWith("/monit/datasource/")));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "o11ykit-prism-")), "openapi.json");
  fs.writeFileSync(file, JSON.stringify({ ...full, paths }));
  return file;
}
const spec = dataSourceSpec();
afterAll(() => fs.rmSync(path.dirname(spec), { recursive: true, force: true }));

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(false)));
    socket.once("error", () => resolve(true));
  });
}

describe("startPrism", () => {
  // One Prism for the two tests below (each start takes seconds of CPU): the first checks it serves,
  // the second closes it.
  let shared: Promise<PrismServer> | undefined;
  const sharedPrism = () => (shared ??= startPrism({ spec }));
  afterAll(async () => {
    await (await shared?.catch(() => undefined))?.close(); // idempotent; closed already unless a test failed
  });

  it("serves the spec on a free loopback port and validates requests", async () => {
    const prism = await sharedPrism();
    expect(prism.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const good = await fetch(`${prism.url}/monit/datasource/info?app_key=k`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"id":1}' });
    expect(good.status).toBe(200);
    expect(good.headers.get("sl-violations")).toBeNull();
    const bad = await fetch(`${prism.url}/monit/datasource/info?app_key=k`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("sl-violations")).toContain("must have required property 'id'");
  }, 60_000);

  it("keeps Prism's latest output, not all of it, however many requests it serves", async () => {
    const prism = await sharedPrism();
    // Prism logs about 600 characters per request: 300 of them log more than the 128 K kept at most.
    const logged = async (path: string) => (await fetch(`${prism.url}${path}?app_key=k`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"id":1}' })).arrayBuffer();
    for (let i = 0; i < 300; i++) await logged("/monit/datasource/info");
    await logged("/monit/datasource/the-last-request");
    await expect.poll(() => prism.output()).toContain("post /monit/datasource/the-last-request");
    expect(prism.output().length).toBeGreaterThanOrEqual(64 * 1024);
    expect(prism.output().length).toBeLessThanOrEqual(128 * 1024);
    expect(prism.output()).not.toContain("Prism is listening"); // the start's lines have made way
  }, 60_000);

  it("leaves no process and no listening port after close()", async () => {
    const prism = await sharedPrism();
    expect(isAlive(prism.pid)).toBe(true);
    await prism.close();
    expect(isAlive(prism.pid)).toBe(false);
    expect(await refused(prism.port)).toBe(true);
    await prism.close(); // idempotent
  }, 60_000);

  it("generates data with faker in dynamic mode (Prism loads English faker only, see prism-preload.cjs)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "o11ykit-prism-"));
    const file = path.join(dir, "openapi.json");
    const contact = { type: "object", required: ["email"], properties: { email: { type: "string", "x-faker": "internet.email" } } };
    const ok = { description: "A contact", content: { "application/json": { schema: contact } } };
    fs.writeFileSync(file, JSON.stringify({ openapi: "3.1.0", info: { title: "contacts", version: "1" }, paths: { "/contact": { get: { responses: { "200": ok } } } } }));
    const prism = await startPrism({ spec: file, dynamic: true });
    try {
      const emails = await Promise.all([1, 2, 3].map(async () => ((await (await fetch(`${prism.url}/contact`)).json()) as { email: string }).email));
      // Without faker, `x-faker` is ignored and the generator makes up a random string instead.
      for (const email of emails) expect(email).toMatch(/^[\w.+-]+@[\w-]+(\.[\w-]+)*\.[a-z]{2,}$/i);
    } finally {
      await prism.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("reports why Prism could not start", async () => {
    await expect(startPrism({ spec: "/nonexistent/openapi.yaml", port: 1 })).rejects.toThrow(/Prism exited .* before listening/);
  }, 60_000);
});

describe("startRateLimitedServer", () => {
  it("accepts `limit` requests per sliding window and answers 429 to the rest", async () => {
    const told: number[] = [];
    const server = await startRateLimitedServer({ limit: 3, periodMs: 500, retryAfterSeconds: 1, onAccepted: (at) => told.push(at) });
    try {
      const send = () => fetch(server.url, { method: "POST", body: "{}" });
      const statuses = (await Promise.all(Array.from({ length: 5 }, send))).map((r) => r.status);
      expect(statuses.sort()).toEqual([200, 200, 200, 429, 429]);
      const rejected = await send();
      expect(rejected.headers.get("retry-after")).toBe("1");
      await new Promise((r) => setTimeout(r, 550));
      expect((await send()).status).toBe(200);
      expect(server.accepted).toBe(4);
      expect(server.rejected).toBe(3);
      // onAccepted hears of each counted request, at the time it was counted.
      expect(told).toEqual(server.acceptedAt);
    } finally {
      await server.close();
    }
  });
});
