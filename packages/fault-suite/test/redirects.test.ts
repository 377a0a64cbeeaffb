/**
 * Redirects are followed by the client itself: within the API's origin only, each hop through the
 * rate limiter, with a hop limit; 307/308 re-send the same method and body (defects 2–4).
 */
import { LimiterRegistry, RateLimitError, RedirectError } from "@o11ykit/core";
import { createFlashdutyClient } from "@o11ykit/flashduty";
import { createGrafanaCloudClient } from "@o11ykit/grafana-cloud";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { fdOk, hostile, json } from "./hostile.js";

const key = "fd~key+with/odd=chars0123";
const spellings = [key, encodeURIComponent(key), new URLSearchParams({ k: key }).toString().slice(2), encodeURIComponent(encodeURIComponent(key))];
const client = (baseUrl: string, extra: object = {}) => createFlashdutyClient({ appKey: key, baseUrl, limiters: new LimiterRegistry(), ...extra });

function expectNoKey(value: unknown) {
  const text = `${inspect(value, { depth: 10, showHidden: true })} ${String(value)} ${JSON.stringify(value)} ${(value as Error)?.stack ?? ""}`;
  for (const spelling of spellings) expect(text).not.toContain(spelling);
}

describe("cross-origin redirects are refused, and the key never leaves its origin", () => {
  it("302 to another host with the query kept", async () => {
    const other = await hostile((_hit, res) => json(res, 200, fdOk({ id: 666, name: "foreign" })), "127.0.0.2");
    const api = await hostile((hit, res) => {
      res.writeHead(302, { location: `${other.origin}${hit.url}` });
      res.end();
    });
    const error = await client(api.url).POST("/monit/datasource/info", { body: { id: 10 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectError);
    expect((error as RedirectError).message).toMatch(/redirecting to another origin \(http:\/\/127\.0\.0\.2:\d+\/monit\/datasource\/info\?app_key=\[REDACTED\]\)/);
    expect(other.hits).toHaveLength(0);
    expectNoKey(error);
  });

  it("303 to a login page that carries the original URL in `next`", async () => {
    const other = await hostile((_hit, res) => json(res, 200, fdOk({ id: 666 })), "127.0.0.2");
    const api = await hostile((hit, res) => {
      const original = `http://${hit.headers.host}${hit.url}`;
      res.writeHead(303, { location: `${other.origin}/login?next=${encodeURIComponent(original)}` });
      res.end();
    });
    const error = await client(api.url).POST("/monit/datasource/info", { body: { id: 10 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectError);
    expect(other.hits).toHaveLength(0);
    expectNoKey(error);
  });

  it("the Grafana client refuses too (bearer token)", async () => {
    const other = await hostile((_hit, res) => json(res, 200, { id: 1 }), "127.0.0.2");
    const api = await hostile((hit, res) => {
      res.writeHead(307, { location: `${other.origin}${hit.url}` });
      res.end();
    });
    const gc = createGrafanaCloudClient({ token: "glc_fault_suite_token_0123", baseUrl: api.url, limiters: new LimiterRegistry() });
    const error = await gc.GET("/instances/{stack_slug}", { params: { path: { stack_slug: "acme" } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectError);
    expect(other.hits).toHaveLength(0);
  });
});

describe("same-origin redirects", () => {
  it("307 and 308 re-send the identical method and body, with the key, and the answer comes back", async () => {
    const api = await hostile((hit, res, i) => {
      if (i === 0) return void res.writeHead(307, { location: "/monit/datasource/info-v2" }).end();
      if (i === 1) return void res.writeHead(308, { location: `${hit.url.split("?")[0]}-v3` }).end();
      json(res, 200, fdOk({ id: 10, name: "Prometheus Prod" }));
    });
    const { data, error } = await client(api.url).POST("/monit/datasource/info", { body: { id: 10 } });
    expect(error).toBeUndefined();
    expect(data).toMatchObject({ id: 10 });
    expect(api.hits.map((h) => h.method)).toEqual(["POST", "POST", "POST"]);
    expect(api.hits.map((h) => h.body)).toEqual(['{"id":10}', '{"id":10}', '{"id":10}']);
    expect(api.hits.map((h) => new URL(h.url, "http://x").pathname)).toEqual(["/monit/datasource/info", "/monit/datasource/info-v2", "/monit/datasource/info-v2-v3"]);
    for (const hit of api.hits) expect(new URL(hit.url, "http://x").searchParams.get("app_key")).toBe(key);
  });

  it("303 continues as a GET without the body", async () => {
    const api = await hostile((_hit, res, i) => {
      if (i === 0) return void res.writeHead(303, { location: "/monit/datasource/result" }).end();
      json(res, 200, fdOk({ id: 10 }));
    });
    const { data } = await client(api.url).POST("/monit/datasource/info", { body: { id: 10 } });
    expect(data).toMatchObject({ id: 10 });
    expect(api.hits.map((h) => [h.method, h.body])).toEqual([
      ["POST", '{"id":10}'],
      ["GET", ""],
    ]);
  });

  it("a redirect loop stops at the hop limit", async () => {
    const api = await hostile((hit, res) => void res.writeHead(302, { location: hit.url }).end());
    const error = await client(api.url, { maxRedirects: 3 }).POST("/monit/datasource/info", { body: { id: 10 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectError);
    expect((error as Error).message).toMatch(/more than 3 times/);
    expect(api.hits).toHaveLength(4);
    expectNoKey(error);
  });

  it("every hop is counted by the rate limiter", async () => {
    const api = await hostile((hit, res) => void res.writeHead(307, { location: hit.url }).end());
    const fd = client(api.url, { rateLimits: { "account-per-second": { requests: 3, periodSeconds: 30 } }, maxRetryWaitMs: 1_000, maxRedirects: 50 });
    const error = await fd.POST("/monit/datasource/info", { body: { id: 10 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(api.hits).toHaveLength(3);
  });
});
