// The shared-Prism global setup (@o11ykit/mock/vitest-shared-prism): mocks of one provider share its
// Prism and stay independent (scenarios, state, close), and the setup's teardown stops it; run again
// under shared Prisms (nested), it keeps theirs and stops only what it started.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { specPath, startMock, startPrism } from "../src/index.js";
import { SHARED_PRISMS_ENV, sharedPrism, sharedPrismEntries } from "../src/shared-prism.js";
import setupSharedPrism from "../src/vitest-shared-prism.js";
import { setEnv } from "./env.js";
import { isAlive } from "./is-alive.js";

// This suite itself runs under shared Prisms (vitest.config.ts): the tests here set the variables they
// need, and this puts them back at the end.
const before = { providers: process.env["O11YKIT_MOCKS"], prisms: process.env[SHARED_PRISMS_ENV] };
afterAll(() => {
  setEnv("O11YKIT_MOCKS", before.providers);
  setEnv(SHARED_PRISMS_ENV, before.prisms);
});

describe("shared Prism", () => {
  let teardown: () => Promise<void>;
  beforeAll(async () => {
    delete process.env[SHARED_PRISMS_ENV]; // a run with no shared Prisms yet
    process.env["O11YKIT_MOCKS"] = "grafana-cloud"; // the smallest spec: one Prism, started once
    teardown = await setupSharedPrism();
  }, 60_000);
  afterAll(async () => {
    await teardown?.();
  }, 60_000);

  it("serves every mock of the provider from one Prism, each mock with its own scenarios and state", async () => {
    const [sharedEntry] = sharedPrismEntries();
    const plain = await startMock("grafana-cloud");
    const stateful = await startMock("grafana-cloud", { stateful: true });
    try {
      expect(plain.pid).toBe(sharedEntry!.pid);
      expect(stateful.pid).toBe(sharedEntry!.pid);
      expect(plain.url).not.toBe(stateful.url);

      await plain.rateLimit({ retryAfter: 3 });
      expect((await list(stateful.url)).status).toBe(200); // the other mock's scenario is not this one's
      expect((await list(plain.url)).status).toBe(429);
      expect((await list(plain.url)).status).toBe(200);

      await stateful.seed({ "access-policies": [{ id: "ap-1", name: "shared-prism-test", region: "eu", scopes: ["metrics:read"], realms: [] }] });
      expect(((await (await list(stateful.url)).json()) as { items: Array<{ name: string }> }).items.map((p) => p.name)).toEqual(["shared-prism-test"]);
      expect(((await (await list(plain.url)).json()) as { items: Array<{ name: string }> }).items.map((p) => p.name)).not.toContain("shared-prism-test");
    } finally {
      await plain.close();
    }
    // Closing a mock leaves the shared Prism to the others.
    expect(isAlive(sharedEntry!.pid)).toBe(true);
    expect((await list(stateful.url)).status).toBe(200);
    await stateful.close();
    expect(isAlive(sharedEntry!.pid)).toBe(true);

    function list(url: string) {
      return fetch(`${url}/v1/accesspolicies?region=eu`, { headers: { authorization: "Bearer glc_test" } });
    }
  }, 60_000);

  it("starts a Prism of the mock's own for `dynamic`, `errors` and proxies, and for providers the setup did not start", () => {
    const spec = sharedPrismEntries()[0]!.spec;
    expect(sharedPrism(spec, {})).toBeDefined();
    expect(sharedPrism(spec, { dynamic: true })).toBeUndefined();
    expect(sharedPrism(spec, { errors: true })).toBeUndefined();
    expect(sharedPrism(spec, { upstream: "http://127.0.0.1:9" })).toBeUndefined();
    expect(sharedPrism("/elsewhere/flashduty.json", {})).toBeUndefined();
  });

  it("startPrism({ share: true }) hands out the shared Prism of the same document, under another path too", async () => {
    const [entry] = sharedPrismEntries();
    const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "o11ykit-spec-copy-")), "openapi.json");
    fs.copyFileSync(entry!.spec, copy);
    try {
      const prism = await startPrism({ spec: copy, share: true });
      expect(prism.pid).toBe(entry!.pid);
      await prism.close();
      expect(isAlive(entry!.pid)).toBe(true); // close() leaves a shared Prism running
      fs.appendFileSync(copy, " "); // another document now: no match
      expect(sharedPrism(copy, {})).toBeUndefined();
    } finally {
      fs.rmSync(path.dirname(copy), { recursive: true, force: true });
    }
  });

  it("names the variable when it holds something else", () => {
    expect(() => sharedPrism("/x.json", {}, { [SHARED_PRISMS_ENV]: "http://127.0.0.1:4010" })).toThrow(/O11YKIT_MOCK_PRISMS is not what @o11ykit\/mock\/vitest-shared-prism writes.*unset it/);
  });

  it("stops the shared Prism at teardown", async () => {
    const { pid } = sharedPrismEntries()[0]!;
    await teardown();
    expect(isAlive(pid)).toBe(false);
    expect(process.env[SHARED_PRISMS_ENV]).toBeUndefined();
    teardown = async () => {};
  }, 60_000);
});

describe("shared Prism, nested", () => {
  it("keeps the Prisms already shared, starts only the providers they lack, and stops only those", async () => {
    // The Flashduty Prism this suite shares (vitest.config.ts), as an outer script would have named it.
    const flashduty = sharedPrismEntries({ [SHARED_PRISMS_ENV]: before.prisms }).find((e) => e.spec === specPath("flashduty"));
    expect(flashduty, "this suite's shared Flashduty Prism").toBeDefined();
    const outer = JSON.stringify([flashduty]);
    process.env[SHARED_PRISMS_ENV] = outer;
    process.env["O11YKIT_MOCKS"] = "flashduty,grafana-cloud";
    const teardown = await setupSharedPrism();
    const entries = sharedPrismEntries();
    const grafana = entries.find((e) => e.spec === specPath("grafana-cloud"));
    expect(entries.find((e) => e.spec === specPath("flashduty"))?.pid).toBe(flashduty!.pid);
    expect(grafana?.pid).not.toBe(flashduty!.pid);
    await teardown();
    expect(process.env[SHARED_PRISMS_ENV]).toBe(outer);
    expect(isAlive(grafana!.pid)).toBe(false);
    expect(isAlive(flashduty!.pid)).toBe(true);
  }, 60_000);
});
