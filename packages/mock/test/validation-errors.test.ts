/**
 * A request the spec forbids gets the provider's error body with a message naming the field and the
 * rule, for the union branch the request meant, instead of the spec's canned 400 example.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, inject, it } from "vitest";
import { freePort } from "../src/index.js";

const json = (url: string, method: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("honest validation errors", () => {
  // The stateful mocks the global setup starts once for the whole run (test/stateful-mocks.setup.ts),
  // shared with stateful.test.ts instead of three Prism starts of this file's own. The explanation
  // does not depend on stateful mode: the mock explains Prism's rejection before its state is
  // consulted, so every request below, being rejected, neither changes nor reads state.
  const mocks = inject("statefulMocks");
  const flashduty = { url: mocks.flashduty };
  const grafana = { url: mocks["grafana-cloud"] };
  const cloud = { url: mocks["clickstack-cloud"] };

  const prometheus = { type_ident: "prometheus", name: "P", address: "http://prom:9090", edge_cluster_name: "default", payload: { prometheus: {} } };

  it("Flashduty: names the missing field, the likely typo, and only the branch of type_ident the body meant", async () => {
    const { edge_cluster_name: _, ...rest } = prometheus;
    const response = await json(`${flashduty.url}/monit/datasource/create?app_key=k`, "POST", { ...rest, edge_cluster: "default" });
    expect(response.status).toBe(400);
    expect(response.headers.get("sl-violations")).toBeTruthy(); // Prism's findings stay available
    const body = await response.json();
    expect(body.error.code).toBe("InvalidParameter");
    expect(body.error.message).toBe("Invalid request: body.edge_cluster_name: is required (the body has `edge_cluster`: did you mean `edge_cluster_name`?)");
  }, 30_000);

  it("Flashduty: a wrong type deep in the payload, without the other 15 branches' complaints", async () => {
    const response = await json(`${flashduty.url}/monit/datasource/create?app_key=k`, "POST", { ...prometheus, payload: { prometheus: { basic_auth_enabled: "no" } } });
    const { error } = await response.json();
    expect(error.message).toBe("Invalid request: body.payload.prometheus.basic_auth_enabled: must be boolean");
  }, 30_000);

  it("Flashduty: an unknown type_ident lists the types there are", async () => {
    const response = await json(`${flashduty.url}/monit/datasource/create?app_key=k`, "POST", { ...prometheus, type_ident: "graphite" });
    const { error } = await response.json();
    expect(error.message).toMatch(/^Invalid request: body\.type_ident: must be one of "prometheus", "loki", .*"kafka"$/);
  }, 30_000);

  it("Grafana Cloud: unknown fields, nested required fields and a missing query parameter, in its {code, message} body", async () => {
    const response = await json(`${grafana.url}/v1/accesspolicies`, "POST", { name: "x", scopes: ["metrics:read"], realms: [{ type: "stack" }], bogus: 1 }, { authorization: "Bearer t" });
    const body = await response.json();
    expect(response.status).toBe(400);
    expect(body.code).toBe("InvalidArgument");
    expect(body.message).toContain("body.bogus: is not a field the API accepts here");
    expect(body.message).toContain("body.realms.0.identifier: is required");
    expect(body.message).toContain("query: must have required property 'region'");
  }, 30_000);

  it("managed ClickStack: a nested union (tile configs on displayType) reports the intended branch only", async () => {
    const tile = { name: "t", x: 0, y: 0, w: 6, h: 4, config: { displayType: "line" } };
    const response = await json(`${cloud.url}/dashboards`, "POST", { name: "D", tiles: [tile] }, { authorization: `Basic ${btoa("a:b")}` });
    const body = await response.json();
    expect(body).toMatchObject({ status: 400, error: "Invalid request: body.tiles.0.config.sourceId: is required; body.tiles.0.config.select: is required" });
  }, 30_000);
});

describe("CLI --stateful", () => {
  it("serves a seeded stateful mock and lists its collections", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "o11ykit-seed-"));
    const seed = path.join(dir, "seed.json");
    fs.writeFileSync(seed, JSON.stringify({ datasources: [{ id: 5, type_ident: "loki", name: "Loki", address: "http://loki:3100", edge_cluster_name: "default" }] }));
    const port = await freePort();
    const bin = fileURLToPath(new URL("../bin/o11ykit-mock.js", import.meta.url));
    const child = spawn(process.execPath, [bin, "flashduty", "--port", String(port), "--stateful", "--seed", seed], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      let output = "";
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk;
          if (output.includes("Ctrl-C")) resolve();
        });
        child.once("exit", (code) => reject(new Error(`exited ${code}: ${output}`)));
      });
      expect(output).toContain(`flashduty stateful mock on http://127.0.0.1:${port}`);
      expect(output).toMatch(/Stateful collections: .*datasources \(create, update, delete, read, list\)/);
      const list = await json(`http://127.0.0.1:${port}/monit/datasource/list?app_key=k`, "POST", {});
      expect((await list.json()).data.map((d: { name: string }) => d.name)).toEqual(["Loki"]);
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
