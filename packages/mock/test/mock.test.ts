import { spawn } from "node:child_process";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOCK_PROVIDERS, freePort, mockControl, startMock, type Mock, type MockProvider } from "../src/index.js";
import { SHARED_PRISMS_ENV, sharedPrismEntries } from "../src/shared-prism.js";
import setup from "../src/vitest-global-setup.js";
import { setEnv } from "./env.js";
import { isAlive } from "./is-alive.js";

/**
 * This run's environment without the shared Prisms (see vitest.config.ts): what a user's process has
 * when no shared-Prism setup runs, so a mock or CLI started with it starts a Prism of its own.
 */
function envWithoutSharedPrisms(): NodeJS.ProcessEnv {
  const { [SHARED_PRISMS_ENV]: _shared, ...env } = process.env;
  return env;
}
/** Awaits `start` with the shared Prisms out of this process's environment (this file's tests run one at a time). */
async function withoutSharedPrisms<T>(start: () => Promise<T>): Promise<T> {
  const shared = process.env[SHARED_PRISMS_ENV];
  delete process.env[SHARED_PRISMS_ENV];
  try {
    return await start();
  } finally {
    setEnv(SHARED_PRISMS_ENV, shared);
  }
}
const refused = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = net.connect(Number(port), hostname);
    socket.once("connect", () => (socket.destroy(), resolve(false)));
    socket.once("error", () => resolve(true));
  });

const post = (url: string, body: unknown = {}, init: RequestInit = {}) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), ...init });

/**
 * One stateless mock per provider, started on first use and shared by the tests of this file: each
 * Prism takes seconds of CPU to start. The scenario tests use two of them; the "serves … and stops
 * cleanly" tests (the last of the file that use the mocks) check each provider's and close it.
 */
const started = new Map<MockProvider, Promise<Mock>>();
function sharedMock(provider: MockProvider): Promise<Mock> {
  let mock = started.get(provider);
  if (!mock) started.set(provider, (mock = startMock(provider)));
  return mock;
}
afterAll(async () => {
  // Those a failed test left open.
  await Promise.all([...started.values()].map(async (mock) => (await mock.catch(() => undefined))?.close()));
}, 60_000);

describe("scenarios", () => {
  let flashduty: Mock;
  let oss: Mock;
  beforeAll(async () => {
    [flashduty, oss] = await Promise.all([sharedMock("flashduty"), sharedMock("clickstack-oss")]);
  }, 60_000);
  const list = () => post(`${flashduty.url}/monit/datasource/list?app_key=k`);

  it("rateLimit answers the next call with 429, Retry-After and the provider's error body", async () => {
    await flashduty.rateLimit({ operation: "POST /monit/datasource/list", retryAfter: 7 });
    const limited = await list();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(await limited.json()).toMatchObject({ error: { code: "RequestTooFrequently" } });
    expect((await list()).status).toBe(200); // used up
  });

  it("keeps to its operation and applies `times` times", async () => {
    await flashduty.serverError({ operation: "POST /monit/datasource/info", times: 2 });
    expect((await list()).status).toBe(200);
    const info = () => post(`${flashduty.url}/monit/datasource/info?app_key=k`, { id: 1 });
    expect((await info()).status).toBe(500);
    expect((await info()).status).toBe(500);
    expect((await info()).status).toBe(200);
  });

  it("providerError puts the code and message where the provider does", async () => {
    await flashduty.providerError({ status: 400, code: "ReferenceExist", message: "in use by 3 rules" });
    const response = await list();
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "ReferenceExist", message: "in use by 3 rules" } });
  });

  it("keeps ClickStack's plain-text 429 plain text", async () => {
    await oss.rateLimit({ retryAfter: 1 });
    const response = await fetch(`${oss.url}/api/v2/dashboards`, { headers: { authorization: "Bearer k" } });
    expect(response.status).toBe(429);
    expect(response.headers.get("content-type")).toMatch(/text\/plain/);
    expect(await response.text()).toBe("Too many requests, please try again later.");
  });

  it("timeout never answers, slow answers late, dropConnection closes the socket", async () => {
    await flashduty.timeout();
    await expect(post(`${flashduty.url}/monit/datasource/list?app_key=k`, {}, { signal: AbortSignal.timeout(300) })).rejects.toThrow(/abort|timeout/i);
    await flashduty.slow({ delayMs: 400 });
    const started = Date.now();
    expect((await list()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    await flashduty.dropConnection();
    await expect(list()).rejects.toThrow();
    expect(flashduty.pendingScenarios).toBe(0);
  });

  it("can be driven from another process through the control endpoint", async () => {
    const control = mockControl(flashduty.url);
    await control.rateLimit({ retryAfter: 3 });
    expect((await list()).headers.get("retry-after")).toBe("3");
    await control.serverError({ times: 5 });
    await control.clear();
    expect((await list()).status).toBe(200);
    await expect(control.rateLimit({ operation: "GET /nope" })).rejects.toThrow(/unknown operation "GET \/nope"; the spec has [1-9]\d{2,} operations, each written "METHOD \/path"/);
    await expect(control.rateLimit({ operation: "POST /monit/datasource/lists" })).rejects.toThrow(/closest: POST \/monit\/datasource\/list, /);
  });
});

describe("startMock", () => {
  for (const provider of MOCK_PROVIDERS) {
    it(`serves ${provider} from its bundled spec and stops cleanly`, async () => {
      const mock = await sharedMock(provider);
      started.delete(provider); // closed below
      try {
        await mock.clear(); // a failed scenario test may have left one of its rules behind
        expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(mock.operations.length).toBeGreaterThan(5);
        const response = await simpleCall(mock);
        expect(response.status).toBe(200);
        expect(response.headers.get("sl-violations")).toBeNull();
      } finally {
        await mock.close();
      }
      expect(await refused(mock.url)).toBe(true);
    }, 60_000);
  }

  it("starts a Prism of its own when the run shares none, and close() stops it", async () => {
    const shared = sharedPrismEntries().map((entry) => entry.pid);
    const mock = await withoutSharedPrisms(() => startMock("grafana-cloud"));
    try {
      expect(shared).not.toContain(mock.pid);
      expect((await simpleCall(mock)).status).toBe(200);
    } finally {
      await mock.close();
    }
    expect(isAlive(mock.pid)).toBe(false);
    expect(await refused(mock.url)).toBe(true);
    expect(shared.every(isAlive)).toBe(true);
  }, 60_000);
});

/** A call that each provider's mock answers from its examples alone. */
function simpleCall(mock: Mock): Promise<Response> {
  // Flashduty's GET operations take required query parameters; its POST list is the simple call.
  const get = mock.provider === "flashduty" ? undefined : mock.operations.find((op) => op.method === "GET" && !op.path.includes("{"));
  const authorization = mock.provider === "clickstack-cloud" ? `Basic ${btoa("id:secret")}` : "Bearer test";
  const headers = { authorization, "content-type": "application/json" };
  return get
    ? fetch(`${mock.url}${get.path}${mock.provider === "grafana-cloud" && get.path.startsWith("/v1/") ? "?region=us" : ""}`, { headers })
    : post(`${mock.url}/monit/datasource/list?app_key=k`);
}

describe("CLI", () => {
  it("prints the URL and operations, serves on the given port, and exits cleanly on SIGTERM", async () => {
    const port = await freePort();
    const bin = fileURLToPath(new URL("../bin/o11ykit-mock.js", import.meta.url));
    // As a user runs it: with a Prism of its own, which SIGTERM must stop too.
    const child = spawn(process.execPath, [bin, "grafana-cloud", "--port", String(port)], { stdio: ["ignore", "pipe", "pipe"], env: envWithoutSharedPrisms() });
    let output = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk;
        if (output.includes("Ctrl-C")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`exited ${code}: ${output}`)));
    });
    expect(output).toContain(`grafana-cloud mock on http://127.0.0.1:${port}`);
    expect(output).toContain("62 operations:");
    expect(output).toMatch(/GET \/v1\/accesspolicies\s+List access policies/);
    const response = await fetch(`http://127.0.0.1:${port}/stack-regions`, { headers: { authorization: "Bearer t" } });
    expect(response.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(await refused(`http://127.0.0.1:${port}`)).toBe(true);
  }, 60_000);

  it("rejects an unknown provider with the usage", async () => {
    const bin = fileURLToPath(new URL("../bin/o11ykit-mock.js", import.meta.url));
    const child = spawn(process.execPath, [bin, "datadog"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown provider "datadog"[\s\S]*PROVIDER\s+one of flashduty, grafana-cloud, clickstack-cloud, clickstack-oss/);
  });
});

describe("vitest global setup", () => {
  it("starts the mocks named in O11YKIT_MOCKS, provides their URLs, and stops them", async () => {
    process.env["O11YKIT_MOCKS"] = "flashduty,clickstack-cloud";
    const provided: Record<string, unknown> = {};
    const teardown = await setup({ provide: (key, value) => (provided[key] = value) });
    delete process.env["O11YKIT_MOCKS"];
    const urls = provided["o11ykitMocks"] as Record<string, string>;
    expect(Object.keys(urls).sort()).toEqual(["clickstack-cloud", "flashduty"]);
    expect((await post(`${urls["flashduty"]}/monit/datasource/list?app_key=k`)).status).toBe(200);
    await teardown();
    expect(await refused(urls["flashduty"]!)).toBe(true);
  }, 60_000);
});
