/**
 * Per-call options are checked by name (defect 11), and an aborted queued call does not keep the
 * process alive (defect 10).
 */
import { ConfigError, LimiterRegistry } from "@o11ykit/core";
import { createFlashdutyClient } from "@o11ykit/flashduty";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fdOk, hostile, json } from "./hostile.js";

const fd = (baseUrl: string) => createFlashdutyClient({ appKey: "fd-app-key-0123456789", baseUrl, limiters: new LimiterRegistry() });

describe("per-call options", () => {
  it("a misspelt option fails at run time with a did-you-mean, and nothing is sent", async () => {
    const server = await hostile((_hit, res) => json(res, 200, fdOk({ id: 1 })));
    const client = fd(server.url);
    // @ts-expect-error — `timeout` is not an option (timeoutMs is)
    await expect(client.POST("/monit/datasource/info", { body: { id: 1 }, timeout: 2000 })).rejects.toThrow(
      new ConfigError("getDataSource (POST /monit/datasource/info): unknown option `timeout` (did you mean `timeoutMs`?)"),
    );
    // @ts-expect-error — `retries` is not an option (maxRetries is)
    await expect(client.POST("/monit/datasource/info", { body: { id: 1 }, retries: 5 })).rejects.toThrow(/unknown option `retries` \(did you mean `maxRetries`\?\)/);
    // @ts-expect-error — a signal must be an AbortSignal
    await expect(client.POST("/monit/datasource/info", { body: { id: 1 }, signal: "stop" })).rejects.toThrow(/option `signal` must be an AbortSignal/);
    await expect(client.POST("/monit/datasource/info", { body: { id: 1 }, maxResponseBytes: 0 })).rejects.toThrow(/option `maxResponseBytes` must be at least 1, got 0/);
    expect(server.hits).toHaveLength(0);
  });

  it("every documented option is accepted", async () => {
    const server = await hostile((_hit, res) => json(res, 200, fdOk({ id: 1 })));
    const { data } = await fd(server.url).POST("/monit/datasource/info", {
      body: { id: 1 },
      headers: { "x-trace": "1" },
      timeoutMs: 5_000,
      maxRetries: 1,
      maxRetryWaitMs: 1_000,
      maxResponseBytes: 10_000,
      maxRedirects: 2,
      signal: new AbortController().signal,
    });
    expect(data).toMatchObject({ id: 1 });
  });
});

describe("process lifetime", () => {
  it("a queued call that is aborted does not keep the process alive", async () => {
    const script = fileURLToPath(new URL("../fixtures/queued-then-aborted.mjs", import.meta.url));
    const started = performance.now();
    const child = spawn(process.execPath, [script], { cwd: fileURLToPath(new URL("..", import.meta.url)), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => {
      const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      child.on("exit", (exitCode) => {
        clearTimeout(killer);
        resolve(exitCode);
      });
    });
    expect(output).toContain("aborted while queued");
    expect(code).toBe(0);
    expect(performance.now() - started).toBeLessThan(8_000);
  });
});
