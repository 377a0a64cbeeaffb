/**
 * What Prism cannot show: plain-text error bodies, the rate limiter's headers, the managed base URL and
 * Basic auth, through the real clients against scripted loopback servers.
 */
import { LimiterRegistry } from "@o11ykit/core";
import { sendJson, startRecordingServer, type RecordingServer } from "@o11ykit/mock";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, createClickStackClient, createClickStackCloudClient } from "../src/index.js";

let server: RecordingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ORG = "7c5f0e1a-0b2d-4c1e-9f3a-5d6e7f8a9b0c";
const SERVICE = "1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6";
const oss = (url: string, options: Record<string, unknown> = {}) => createClickStackClient({ baseUrl: url, apiKey: "hdx-personal-key", limiters: new LimiterRegistry(), ...options });

function sendText(res: import("node:http").ServerResponse, status: number, text: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
  res.end(text);
}

describe("open source: plain-text errors", () => {
  for (const [status, text] of [
    [401, "Unauthorized"],
    [403, "Forbidden"],
    [429, "Too many requests, please try again later."],
  ] as const) {
    it(`a ${status} with a plain-text body becomes the same ApiError as a JSON one`, async () => {
      server = await startRecordingServer((_req, res) => sendText(res, status, text, { "ratelimit-reset": "3600" }));
      const { data, error } = await oss(server.url, { maxRetryWaitMs: 1000 }).GET("/api/v2/dashboards");
      expect(data).toBeUndefined();
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status, providerMessage: text, code: undefined });
    });
  }

  it("a JSON {message} error reads the same way", async () => {
    server = await startRecordingServer((_req, res) => sendJson(res, 404, { message: "Dashboard not found" }));
    const { error } = await oss(server.url).GET("/api/v2/dashboards/{id}", { params: { path: { id: "65f5e4a3b9e77c001a567890" } } });
    expect(error).toMatchObject({ status: 404, providerMessage: "Dashboard not found" });
    expect(error?.message).toMatch(/getDashboard \(GET \/api\/v2\/dashboards\/\{id\}\) failed: 404: Dashboard not found/);
  });

  it("waits for RateLimit-Reset after a plain-text 429, then succeeds", async () => {
    server = await startRecordingServer((_req, res, i) =>
      i === 0 ? sendText(res, 429, "Too many requests, please try again later.", { "ratelimit-limit": "100", "ratelimit-remaining": "0", "ratelimit-reset": "1" }) : sendJson(res, 200, { data: [] }),
    );
    const { data } = await oss(server.url).GET("/api/v2/webhooks");
    expect(data).toEqual([]);
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("sends the key as a Bearer token and needs a baseUrl", async () => {
    server = await startRecordingServer((_req, res) => sendJson(res, 200, { data: [] }));
    await oss(server.url).GET("/api/v2/sources");
    expect(server.requests[0]!.headers.authorization).toBe("Bearer hdx-personal-key");
    // @ts-expect-error — baseUrl is required for your own server
    expect(() => createClickStackClient({ apiKey: "k" })).toThrow(/createClickStackClient: option `baseUrl` is required: the URL of your server's API such as "http:\/\/clickstack.internal:8000"/);
  });
});

describe("managed: base URL, Basic auth and the error envelope", () => {
  it("builds the service's ClickStack URL from organizationId and serviceId, and sends Basic auth", async () => {
    const seen: Array<{ url: string; headers: Headers }> = [];
    const client = createClickStackCloudClient({
      keyId: "KEYID",
      keySecret: "s3cr3t-key-secret",
      organizationId: ORG,
      serviceId: SERVICE,
      limiters: new LimiterRegistry(),
      fetch: async (url, init) => {
        seen.push({ url, headers: new Headers(init.headers) });
        return new Response(JSON.stringify({ status: 200, requestId: "3f6a1d0e-3c4b-4a5e-9f1d-2b7c8e9a0b01", result: [] }), { headers: { "content-type": "application/json" } });
      },
    });
    const { data } = await client.GET("/dashboards");
    expect(data).toEqual([]);
    expect(seen[0]!.url).toBe(`https://api.clickhouse.cloud/v1/organizations/${ORG}/services/${SERVICE}/clickstack/dashboards`);
    expect(seen[0]!.headers.get("authorization")).toBe(`Basic ${btoa("KEYID:s3cr3t-key-secret")}`);
    expect(inspect(client)).not.toContain("s3cr3t");
  });

  it("reads {status, error, requestId} errors and never shows the key secret", async () => {
    server = await startRecordingServer((_req, res) => sendJson(res, 400, { status: 400, error: "tiles[0].config.select: Required", requestId: "3f6a1d0e-3c4b-4a5e-9f1d-2b7c8e9a0b99" }));
    const client = createClickStackCloudClient({ keyId: "KEYID", keySecret: "s3cr3t-key-secret", organizationId: ORG, serviceId: SERVICE, baseUrl: server.url, limiters: new LimiterRegistry() });
    const { error } = await client.POST("/dashboards", { body: { name: "d", tiles: [] } });
    expect(error).toMatchObject({ status: 400, providerMessage: "tiles[0].config.select: Required", requestId: "3f6a1d0e-3c4b-4a5e-9f1d-2b7c8e9a0b99" });
    const encoded = btoa("KEYID:s3cr3t-key-secret");
    for (const text of [inspect(error, { depth: 10 }), JSON.stringify(error), String(error?.stack)]) {
      expect(text).not.toContain("s3cr3t");
      expect(text).not.toContain(encoded);
    }
  });

  it("refuses ids that are not UUIDs (the spec's x-o11ykit-pattern), naming the option and where to find it", () => {
    expect(() => createClickStackCloudClient({ keyId: "k", keySecret: "s", organizationId: "my-org", serviceId: SERVICE })).toThrow(
      /option `organizationId` must match \^\[0-9a-fA-F\]\{8\}-.*\$, got "my-org"\. The organization's ID \(a UUID\), under Organization → Organization details/,
    );
    expect(() => createClickStackCloudClient({ keyId: "k", keySecret: "s", organizationId: ORG, serviceId: undefined })).toThrow(
      /option `serviceId` is missing\. The service's ID \(a UUID\), in the service's URL/,
    );
    // Checked even when baseUrl replaces the URL: a malformed id is a mistake either way.
    expect(() => createClickStackCloudClient({ keyId: "k", keySecret: "s", organizationId: ORG, serviceId: "svc-1", baseUrl: "http://127.0.0.1:9" })).toThrow(
      /option `serviceId` must match .*, got "svc-1"/,
    );
    expect(() => createClickStackCloudClient({ keyId: "k", keySecret: "", organizationId: ORG, serviceId: SERVICE })).toThrow(/option `keySecret` is empty/);
  });

  it("keeps under 10 requests per 10 seconds by default", async () => {
    server = await startRecordingServer((_req, res) => sendJson(res, 200, { status: 200, result: [] }));
    const client = createClickStackCloudClient({ keyId: "k", keySecret: "s", organizationId: ORG, serviceId: SERVICE, baseUrl: server.url, limiters: new LimiterRegistry(), maxRetryWaitMs: 1000 });
    const results = await Promise.allSettled(Array.from({ length: 11 }, () => client.GET("/webhooks")));
    expect(server.requests).toHaveLength(10);
    // The 11th would wait ~10 s, longer than this call's 1 s budget, so it fails fast without being sent.
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason.name)).toEqual(["RateLimitError"]);
  });
});

describe("open source: answers outside the {data} envelope (x-o11ykit-envelope: none)", () => {
  it("hands over the API root's and the dashboard validator's bodies as they are", async () => {
    server = await startRecordingServer((req, res) =>
      req.url.startsWith("/api/v2/dashboards/validate")
        ? sendJson(res, 200, { valid: false, errors: [{ path: "tiles.0.config.select", message: "Required" }] })
        : sendJson(res, 200, { version: "2.7.1", user: { email: "ops@acme.io", team: "65f5e4a3b9e77c001a000001" } }),
    );
    const client = oss(server.url);
    const info = await client.GET("/api/v2");
    expect(info.data).toMatchObject({ version: "2.7.1", user: { email: "ops@acme.io" } });
    const validation = await client.POST("/api/v2/dashboards/validate", { body: { name: "draft", tiles: [] } });
    expect(validation.data).toMatchObject({ valid: false, errors: [{ path: "tiles.0.config.select" }] });
  });
});
