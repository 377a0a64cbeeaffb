/**
 * Each provider's mock called through its client, and each scenario helper seen the way a user sees
 * it: through the client's retries, timeouts and typed errors.
 */
import { createClickStackClient, createClickStackCloudClient } from "@o11ykit/clickstack";
import { LimiterRegistry } from "@o11ykit/core";
import { ApiError, ConnectionError, TimeoutError, createFlashdutyClient } from "@o11ykit/flashduty";
import { createGrafanaCloudClient } from "@o11ykit/grafana-cloud";
import { startMock, type Mock } from "@o11ykit/mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const mocks: Partial<Record<"flashduty" | "grafana" | "cloud" | "oss", Mock>> = {};
beforeAll(async () => {
  [mocks.flashduty, mocks.grafana, mocks.cloud, mocks.oss] = await Promise.all([
    startMock("flashduty"),
    startMock("grafana-cloud"),
    startMock("clickstack-cloud"),
    startMock("clickstack-oss"),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all(Object.values(mocks).map((m) => m?.close()));
});

const fd = (options: Record<string, unknown> = {}) => createFlashdutyClient({ appKey: "test", baseUrl: mocks.flashduty!.url, limiters: new LimiterRegistry(), ...options });
const cloudClient = () =>
  createClickStackCloudClient({
    keyId: "k",
    keySecret: "s",
    organizationId: "7c5f0e1a-0b2d-4c1e-9f3a-5d6e7f8a9b0c",
    serviceId: "1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6",
    baseUrl: mocks.cloud!.url,
  });
const gc = (options: Record<string, unknown> = {}) => createGrafanaCloudClient({ token: "glc_test", baseUrl: mocks.grafana!.url, limiters: new LimiterRegistry(), ...options });

describe("every provider's mock through its client", () => {
  it("Flashduty, Grafana Cloud and both ClickStack deployments answer with their spec's examples", async () => {
    const list = await fd().POST("/monit/datasource/list", { body: {} });
    expect(list.data?.[0]?.name).toBe("Prometheus Prod");
    const regions = await gc().GET("/stack-regions");
    expect(regions.data?.items.map((r) => r.slug)).toContain("us");
    const cloud = cloudClient();
    expect((await cloud.GET("/dashboards")).data?.[0]?.name).toBe("Checkout service");
    const oss = createClickStackClient({ baseUrl: mocks.oss!.url, apiKey: "k" });
    expect((await oss.GET("/api/v2/webhooks")).data?.[0]?.service).toBe("slack");
  });
});

describe("Flashduty scenarios", () => {
  it("rateLimit: the client waits for Retry-After and the call succeeds", async () => {
    await mocks.flashduty!.rateLimit({ operation: "POST /monit/datasource/create", retryAfter: 1 });
    const started = Date.now();
    const { data, error } = await fd().POST("/monit/datasource/create", {
      body: { type_ident: "loki", name: "Loki", address: "http://loki:3100", edge_cluster_name: "default", payload: { loki: {} } },
    });
    expect(error).toBeUndefined();
    expect(data?.id).toBe(10);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("serverError: retried for a safe read, returned for a create", async () => {
    await mocks.flashduty!.serverError({ operation: "POST /monit/datasource/info" });
    expect((await fd().POST("/monit/datasource/info", { body: { id: 10 } })).data?.id).toBe(10);
    await mocks.flashduty!.serverError({ operation: "POST /monit/datasource/create" });
    const { error } = await fd().POST("/monit/datasource/create", {
      body: { type_ident: "loki", name: "Loki", address: "http://loki:3100", edge_cluster_name: "default", payload: { loki: {} } },
    });
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 500, code: "InternalError", attempts: 1 });
  });

  it("providerError: a typed ApiError with the provider's code", async () => {
    await mocks.flashduty!.providerError({ status: 400, code: "ReferenceExist", message: "used by 3 alert rules" });
    const { error } = await fd().POST("/monit/datasource/delete", { body: { id: 10 } });
    expect(error).toMatchObject({ status: 400, code: "ReferenceExist", providerMessage: "used by 3 alert rules" });
  });

  it("timeout: the client's per-attempt timeout ends the call", async () => {
    await mocks.flashduty!.timeout({ operation: "POST /monit/datasource/create" });
    const error = await fd({ timeoutMs: 300 })
      .POST("/monit/datasource/create", { body: { type_ident: "loki", name: "L", address: "http://loki:3100", edge_cluster_name: "default", payload: { loki: {} } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it("dropConnection: retried for a safe read; a ConnectionError when it keeps happening", async () => {
    await mocks.flashduty!.dropConnection({ operation: "POST /monit/datasource/list" });
    expect((await fd().POST("/monit/datasource/list", { body: {} })).data).toHaveLength(2);
    await mocks.flashduty!.dropConnection({ operation: "POST /monit/datasource/list", times: 3 });
    const error = await fd({ maxRetries: 2 }).POST("/monit/datasource/list", { body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).attempts).toBe(3);
  });

  it("slow: a slow answer within the timeout is just slow", async () => {
    await mocks.flashduty!.slow({ delayMs: 300 });
    expect((await fd({ timeoutMs: 2000 }).POST("/monit/datasource/list", { body: {} })).error).toBeUndefined();
  });
});

describe("Grafana Cloud and ClickStack scenarios", () => {
  it("a Retry-After close to an hour fails fast instead of hanging", async () => {
    await mocks.grafana!.rateLimit({ operation: "GET /v1/accesspolicies", retryAfter: 3540 });
    const started = Date.now();
    const { error } = await gc().GET("/v1/accesspolicies", { params: { query: { region: "us" } } });
    expect(error?.status).toBe(429);
    expect(error?.message).toMatch(/retry after 3540 s/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("a plugin's 'another operation is already in progress' is retried", async () => {
    await mocks.grafana!.providerError({ operation: "POST /instances/{stack_slug}/plugins", status: 409, code: "Conflict", message: "Conflicting operation, another operation is already in progress" });
    const { data } = await gc().POST("/instances/{stack_slug}/plugins", { params: { path: { stack_slug: "mystack" } }, body: { plugin: "grafana-github-datasource" } });
    expect(data?.pluginSlug).toBe("grafana-github-datasource");
  });

  it("open-source ClickStack's plain-text 429 is retried after Retry-After", async () => {
    await mocks.oss!.rateLimit({ retryAfter: 1 });
    const oss = createClickStackClient({ baseUrl: mocks.oss!.url, apiKey: "k", limiters: new LimiterRegistry() });
    const { data } = await oss.GET("/api/v2/sources");
    expect(data?.[0]?.kind).toBe("log");
  });

  it("managed ClickStack's {status, error, requestId} becomes the ApiError's message", async () => {
    await mocks.cloud!.providerError({ operation: "GET /dashboards/{dashboardId}", status: 404, message: "Dashboard not found" });
    const cloud = cloudClient();
    const { error } = await cloud.GET("/dashboards/{dashboardId}", { params: { path: { dashboardId: "65f5e4a3b9e77c001a567890" } } });
    expect(error).toMatchObject({ status: 404, providerMessage: "Dashboard not found" });
    expect(error?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
