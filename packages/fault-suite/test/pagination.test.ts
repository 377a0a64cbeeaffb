/**
 * Pagination always ends (defect 7): repeats are detected for every style, including a loop back to
 * the first page, and `maxPages` / `maxItems` bound an endless list.
 */
import { LimiterRegistry, PaginationError } from "@o11ykit/core";
import { createClickStackClient } from "@o11ykit/clickstack";
import { createGrafanaCloudClient } from "@o11ykit/grafana-cloud";
import { describe, expect, it } from "vitest";
import { hostile, json } from "./hostile.js";

const gc = (baseUrl: string) => createGrafanaCloudClient({ token: "glc_fault_suite_token_0123", baseUrl, limiters: new LimiterRegistry(), rateLimits: "off" });
const policy = (id: string) => ({ id, name: id, scopes: ["metrics:read"], realms: [] });
const page = (ids: string[], next: string | null) => ({ items: ids.map(policy), metadata: { pagination: { nextPage: next } } });

async function collect<T>(iterator: AsyncIterable<T>): Promise<{ items: T[]; error: unknown }> {
  const items: T[] = [];
  try {
    for await (const item of iterator) items.push(item);
    return { items, error: undefined };
  } catch (error) {
    return { items, error };
  }
}

describe("cursor pagination (Grafana Cloud)", () => {
  it("A → B → A: page A is yielded once, then the loop is reported", async () => {
    const server = await hostile((hit, res) => {
      const cursor = new URL(hit.url, "http://x").searchParams.get("pageCursor");
      if (cursor === null || cursor === "A") json(res, 200, page(["a1", "a2"], "/v1/accesspolicies?pageCursor=B"));
      else json(res, 200, page(["b1"], "/v1/accesspolicies?pageCursor=A"));
    });
    const { items, error } = await collect(gc(server.url).paginate("/v1/accesspolicies", { params: { query: { region: "eu" } } }));
    expect(items.map((p) => p.id)).toEqual(["a1", "a2", "b1"]);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).message).toMatch(/the server sent a page already read/);
  });

  it("an endless cursor stops at maxPages with an error that says how to go on", async () => {
    const server = await hostile((hit, res, i) => json(res, 200, page([`p${i}`], `/v1/accesspolicies?pageCursor=c${i + 1}`)));
    const { items, error } = await collect(gc(server.url).paginate("/v1/accesspolicies", { params: { query: { region: "eu" } }, maxPages: 25 }));
    expect(items).toHaveLength(25);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).message).toMatch(/reached `maxPages` \(25\) and the server still reports more; pass a higher `maxPages`/);
    expect(server.hits).toHaveLength(25);
  });

  it("the default cap is 1,000 pages", async () => {
    const server = await hostile((hit, res, i) => json(res, 200, page([`p${i}`], `/v1/accesspolicies?pageCursor=c${i + 1}`)));
    const { items, error } = await collect(gc(server.url).paginate("/v1/accesspolicies", { params: { query: { region: "eu" } } }));
    expect(items).toHaveLength(1_000);
    expect(error).toBeInstanceOf(PaginationError);
  });

  it("maxItems stops quietly, without fetching further pages", async () => {
    const server = await hostile((hit, res, i) => json(res, 200, page([`p${i}a`, `p${i}b`, `p${i}c`], `/v1/accesspolicies?pageCursor=c${i + 1}`)));
    const { items, error } = await collect(gc(server.url).paginate("/v1/accesspolicies", { params: { query: { region: "eu" } }, maxItems: 7 }));
    expect(error).toBeUndefined();
    expect(items).toHaveLength(7);
    expect(server.hits).toHaveLength(3);
  });

  it("bad caps are refused before any request", () => {
    const client = gc("http://127.0.0.1:9");
    expect(() => client.paginate("/v1/accesspolicies", { params: { query: { region: "eu" } }, maxPages: 0 })).toThrow(/paginate option `maxPages` must be a positive whole number, got 0/);
  });
});

describe("offset pagination (open-source ClickStack)", () => {
  const alert = (id: number) => ({ id: String(id).padStart(24, "0"), name: `alert ${id}` });

  it("a server that ignores `offset` is caught on the second page instead of looping forever", async () => {
    const server = await hostile((_hit, res) => json(res, 200, { data: [alert(1), alert(2)] }));
    const cs = createClickStackClient({ baseUrl: server.url, apiKey: "cs-oss-api-key-0123", limiters: new LimiterRegistry() });
    const { items, error } = await collect(cs.paginate("/api/v2/alerts", { params: { query: { limit: 2 } } }));
    expect(items).toHaveLength(2);
    expect(error).toBeInstanceOf(PaginationError);
    expect(server.hits).toHaveLength(2);
  });

  it("walks to the total from X-Total-Count", async () => {
    const server = await hostile((hit, res) => {
      const offset = Number(new URL(hit.url, "http://x").searchParams.get("offset"));
      json(res, 200, { data: offset >= 4 ? [alert(5)] : [alert(offset + 1), alert(offset + 2)] }, { "x-total-count": "5" });
    });
    const cs = createClickStackClient({ baseUrl: server.url, apiKey: "cs-oss-api-key-0123", limiters: new LimiterRegistry() });
    const { items, error } = await collect(cs.paginate("/api/v2/alerts", { params: { query: { limit: 2 } } }));
    expect(error).toBeUndefined();
    expect(items.map((a) => a.name)).toEqual(["alert 1", "alert 2", "alert 3", "alert 4", "alert 5"]);
  });
});
