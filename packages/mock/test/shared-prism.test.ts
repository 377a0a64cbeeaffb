// The shared-Prism global setup (@o11ykit/mock/vitest-shared-prism): mocks of one provider share its
// Prism and stay independent (scenarios, state, close), and the setup's teardown stops it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMock } from "../src/index.js";
import { SHARED_PRISMS_ENV, sharedPrism } from "../src/shared-prism.js";
import setupSharedPrism from "../src/vitest-shared-prism.js";
import { isAlive } from "./is-alive.js";

describe("shared Prism", () => {
  let teardown: () => Promise<void>;
  const providersBefore = process.env["O11YKIT_MOCKS"];
  beforeAll(async () => {
    process.env["O11YKIT_MOCKS"] = "grafana-cloud"; // the smallest spec: one Prism, started once
    teardown = await setupSharedPrism();
  }, 60_000);
  afterAll(async () => {
    await teardown?.();
    if (providersBefore === undefined) delete process.env["O11YKIT_MOCKS"];
    else process.env["O11YKIT_MOCKS"] = providersBefore;
  }, 60_000);

  it("serves every mock of the provider from one Prism, each mock with its own scenarios and state", async () => {
    const [sharedEntry] = JSON.parse(process.env[SHARED_PRISMS_ENV]!) as Array<{ pid: number }>;
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

  it("starts a Prism of the mock's own for `dynamic` and `errors`, and for providers the setup did not start", () => {
    const spec = JSON.parse(process.env[SHARED_PRISMS_ENV]!)[0].spec as string;
    expect(sharedPrism(spec, {})).toBeDefined();
    expect(sharedPrism(spec, { dynamic: true })).toBeUndefined();
    expect(sharedPrism(spec, { errors: true })).toBeUndefined();
    expect(sharedPrism("/elsewhere/flashduty.json", {})).toBeUndefined();
  });

  it("names the variable when it holds something else", () => {
    expect(() => sharedPrism("/x.json", {}, { [SHARED_PRISMS_ENV]: "http://127.0.0.1:4010" })).toThrow(/O11YKIT_MOCK_PRISMS is not what @o11ykit\/mock\/vitest-shared-prism writes.*unset it/);
  });

  it("stops the shared Prism at teardown", async () => {
    const { pid } = JSON.parse(process.env[SHARED_PRISMS_ENV]!)[0] as { pid: number };
    await teardown();
    expect(isAlive(pid)).toBe(false);
    expect(process.env[SHARED_PRISMS_ENV]).toBeUndefined();
    teardown = async () => {};
  }, 60_000);
});
