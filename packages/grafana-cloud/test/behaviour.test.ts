/**
 * Behaviour Prism cannot show: several pages, a rate limit with an hour-long Retry-After, request ids
 * across retries, and the transient plugin conflict, through the real Grafana Cloud client against
 * scripted loopback servers that answer as grafana.com does.
 */
import { sendJson, startRecordingServer, type RecordingServer } from "@o11ykit/mock";
import { LimiterRegistry } from "@o11ykit/core";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, RateLimitError, createGrafanaCloudClient } from "../src/index.js";

let server: RecordingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const client = (url: string, options: Record<string, unknown> = {}) =>
  createGrafanaCloudClient({ token: "glc_behaviour_secret", baseUrl: url, limiters: new LimiterRegistry(), ...options });

const policy = (i: number) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, orgId: "1", name: `p${i}`, scopes: ["metrics:read"], realms: [] });

describe("access policy pagination", () => {
  it("walks every page (Terraform's provider stops at the first 500)", async () => {
    const total = 1234;
    server = await startRecordingServer((req, res) => {
      const url = new URL(req.url, "http://x");
      const start = Number(url.searchParams.get("pageCursor") || 0);
      const size = Number(url.searchParams.get("pageSize") || 500);
      const items = Array.from({ length: Math.min(size, total - start) }, (_, i) => policy(start + i));
      // Like the real API, nextPage keeps only the cursor: the client must carry `region` over itself.
      const nextPage = start + size < total ? `/v1/accesspolicies?pageCursor=${start + size}&pageSize=${size}` : null;
      sendJson(res, 200, { items, metadata: { pagination: { pageSize: size, pageCursor: String(start), nextPage } } });
    });
    const names: string[] = [];
    for await (const p of client(server.url).paginate("/v1/accesspolicies", { params: { query: { region: "eu", pageSize: 500 } } })) names.push(p.name);
    expect(names).toHaveLength(total);
    expect(new Set(names).size).toBe(total);
    expect(server.requests.map((r) => new URL(r.url, "http://x").searchParams.get("region"))).toEqual(["eu", "eu", "eu"]);
  });
});

describe("rate limits", () => {
  it("fails fast with a clear error when Retry-After is close to an hour", async () => {
    server = await startRecordingServer((_req, res) => sendJson(res, 429, { code: "TooManyRequests", message: "rate limit exceeded", requestId: "r1" }, { "retry-after": "3540" }));
    const started = Date.now();
    const { error } = await client(server.url).GET("/v1/accesspolicies", { params: { query: { region: "us" } } });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error).toBeInstanceOf(ApiError);
    expect(error?.message).toMatch(/listAccessPolicies .* failed: 429 TooManyRequests: rate limit exceeded\. The server asked to retry after 3540 s/);
    expect(server.requests).toHaveLength(1);
  });

  it("honours an HTTP-date Retry-After within the budget, even for a POST", async () => {
    server = await startRecordingServer((_req, res, i) =>
      i === 0 ? sendJson(res, 429, { code: "TooManyRequests", message: "slow down" }, { "retry-after": new Date(Date.now() + 1000).toUTCString() }) : sendJson(res, 200, policy(1)),
    );
    const { data } = await client(server.url).POST("/v1/accesspolicies", { params: { query: { region: "us" } }, body: { name: "p1", scopes: [], realms: [] } });
    expect(data?.name).toBe("p1");
    expect(server.requests).toHaveLength(2);
  });

  it("keeps under the spec's 600 requests/hour for access policies, failing fast instead of queueing for an hour", async () => {
    server = await startRecordingServer((_req, res) => sendJson(res, 200, policy(1)));
    const c = client(server.url, { rateLimits: { "access-policies": { requests: 2, periodSeconds: 3600 } } });
    const get = () => c.GET("/v1/accesspolicies/{access_policy_id}", { params: { path: { access_policy_id: policy(1).id }, query: { region: "us" } } });
    await get();
    await get();
    await expect(get()).rejects.toBeInstanceOf(RateLimitError);
    // Other endpoints are not in that bucket.
    await c.GET("/stack-regions");
    expect(server.requests).toHaveLength(3);
  });
});

describe("x-request-id", () => {
  it("is fresh per POST/DELETE call and the same on that call's retry", async () => {
    server = await startRecordingServer((req, res, i) =>
      i === 0 ? sendJson(res, 503, { code: "Loading", message: "Stack is starting" }, { "retry-after": "0" }) : sendJson(res, 200, true),
    );
    const c = client(server.url);
    await c.DELETE("/instances/{stack_slug}/datasources/{datasource_id}", { params: { path: { stack_slug: "s", datasource_id: 1 } } });
    await c.DELETE("/instances/{stack_slug}/datasources/{datasource_id}", { params: { path: { stack_slug: "s", datasource_id: 2 } } });
    await c.GET("/instances/{stack_slug}", { params: { path: { stack_slug: "s" } } });
    const ids = server.requests.map((r) => r.headers["x-request-id"]);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(ids[3]).toBeUndefined(); // GETs carry none
  });
});

describe("plugins", () => {
  it("retries 'another operation is already in progress' on install, then succeeds", async () => {
    server = await startRecordingServer((_req, res, i) =>
      i < 2
        ? sendJson(res, 409, { code: "Conflict", message: "Conflicting operation, another operation is already in progress" }, { "retry-after": "0" })
        : sendJson(res, 200, { id: 1, instanceId: 2, pluginSlug: "grafana-github-datasource", version: "1.3.1" }),
    );
    const { data } = await client(server.url).POST("/instances/{stack_slug}/plugins", { params: { path: { stack_slug: "s" } }, body: { plugin: "grafana-github-datasource" } });
    expect(data?.version).toBe("1.3.1");
    expect(server.requests).toHaveLength(3);
  });

  it("does not retry a conflict that is not transient (delete protection)", async () => {
    server = await startRecordingServer((_req, res) => sendJson(res, 409, { code: "Conflict", message: "Delete protection is enabled" }));
    const { error } = await client(server.url).DELETE("/instances/{stack_slug}", { params: { path: { stack_slug: "s" } } });
    expect(error).toMatchObject({ status: 409, code: "Conflict", attempts: 1 });
  });

  it("tells a taken slug from an operation in progress by code, though grafana.com says Conflict for both", async () => {
    server = await startRecordingServer((req, res) =>
      req.method === "POST"
        ? sendJson(res, 409, { code: "Conflict", message: "Grafana stack with the same slug already exists" })
        : sendJson(res, 409, { code: "Conflict", message: "Conflicting operation, another operation is already in progress" }),
    );
    const taken = await client(server.url).POST("/instances", { body: { name: "Acme", slug: "acme" } });
    expect(taken.error).toMatchObject({ status: 409, code: "AlreadyExists", providerCode: "Conflict", attempts: 1 });
    const busy = await client(server.url, { maxRetries: 1, maxRetryWaitMs: 10 }).DELETE("/instances/{stack_slug}", { params: { path: { stack_slug: "acme" } } });
    expect(busy.error).toMatchObject({ status: 409, code: "OperationInProgress", providerCode: "Conflict" });
    if (busy.error?.code === "OperationInProgress") expect(busy.error.isRateLimited).toBe(false);
  });
});

describe("request-time checks", () => {
  it("a call without the required region fails before sending, naming the parameter", async () => {
    server = await startRecordingServer((_req, res) => sendJson(res, 200, {}));
    // @ts-expect-error — what a JavaScript caller can still do
    const call = client(server.url).GET("/v1/tokens", { params: { query: {} } });
    await expect(call).rejects.toThrow('listTokens (GET /v1/tokens): query parameter `region` is required; pass it as { params: { query: { region: "us" } } }');
    expect(server.requests).toHaveLength(0);
  });
});

describe("paged lists grafana.com numbers or cursors", () => {
  const stack = (i: number) => ({ id: i, slug: `stack${i}`, name: `Stack ${i}`, status: "active" });

  it("walks /v1/stacks by page number to the total, keeping the filters", async () => {
    server = await startRecordingServer((req, res) => {
      const url = new URL(req.url, "http://x");
      const page = Number(url.searchParams.get("page") ?? 1);
      const size = Number(url.searchParams.get("pageSize") ?? 20);
      const items = Array.from({ length: Math.max(0, Math.min(size, 45 - (page - 1) * size)) }, (_, i) => stack((page - 1) * size + i + 1));
      sendJson(res, 200, { items, total: 45 });
    });
    const slugs: string[] = [];
    for await (const s of client(server.url).paginate("/v1/stacks", { params: { query: { org: "acme", page: 1, pageSize: 20 } } })) slugs.push(s.slug!);
    expect(slugs).toHaveLength(45);
    expect(server.requests.map((r) => new URL(r.url, "http://x").searchParams.toString())).toEqual([
      "org=acme&page=1&pageSize=20",
      "org=acme&page=2&pageSize=20",
      "org=acme&page=3&pageSize=20",
    ]);
  });

  it("walks org members by cursor until there is none", async () => {
    server = await startRecordingServer((req, res) => {
      const cursor = new URL(req.url, "http://x").searchParams.get("cursor");
      if (!cursor) return sendJson(res, 200, { items: [{ userId: 1, userName: "ada" }], nextCursor: "c2" });
      sendJson(res, 200, { items: [{ userId: 2, userName: "grace" }], nextCursor: null });
    });
    const names: string[] = [];
    for await (const m of client(server.url).paginate("/orgs/{org_slug}/members", { params: { path: { org_slug: "acme" } } })) names.push(m.userName!);
    expect(names).toEqual(["ada", "grace"]);
  });
});
