/**
 * `paginate()` on Flashduty's two list styles, against a local server that pages the way Flashduty
 * documents: `p`/`limit` with `has_next_page` (and a 400 for p × limit > 10,000), and the
 * `search_after_ctx` cursor for incidents.
 */
import { startRecordingServer, sendJson, type RecordingServer } from "@o11ykit/mock";
import { LimiterRegistry, PaginationError } from "@o11ykit/core";
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { createFlashdutyClient } from "../src/index.js";

let server: RecordingServer | undefined;
afterEach(() => server?.close());

const client = (baseUrl: string) => createFlashdutyClient({ appKey: "fd-pagination-key-0123", baseUrl, limiters: new LimiterRegistry(), rateLimits: "off" });
const ok = (data: unknown) => ({ request_id: "01JPAGINATION000000000000", data });
const channel = (id: number) => ({ channel_id: id, channel_name: `channel ${id}` });

/** A channel list of `count` items, paged as Flashduty pages (with its 10,000-result ceiling). */
function channelServer(count: number) {
  return startRecordingServer((req, res) => {
    const { p = 1, limit = 20 } = JSON.parse(req.body || "{}") as { p?: number; limit?: number };
    if (p * limit > 10_000) return sendJson(res, 400, { request_id: "01J", error: { code: "InvalidParameter", message: "p * limit must be <= 10000" } });
    const start = (p - 1) * limit;
    const items = Array.from({ length: Math.max(0, Math.min(limit, count - start)) }, (_, i) => channel(start + i + 1));
    // `total` stops counting at 1,000, as Flashduty's does: the walk must follow has_next_page.
    sendJson(res, 200, ok({ items, total: Math.min(count, 1_000), has_next_page: start + items.length < count }));
  });
}

describe("page style (p, limit, has_next_page)", () => {
  it("walks every page, asking for the largest page size the spec allows, past a capped total", async () => {
    server = await channelServer(1_234);
    const ids: number[] = [];
    for await (const c of client(server.url).paginate("/channel/list", { body: {} })) {
      expectTypeOf(c.channel_id).toEqualTypeOf<number | undefined>();
      ids.push(c.channel_id!);
    }
    expect(ids).toEqual(Array.from({ length: 1_234 }, (_, i) => i + 1));
    expect(server.requests.map((r) => JSON.parse(r.body))).toEqual(Array.from({ length: 13 }, (_, i) => ({ p: i + 1, limit: 100 })));
  });

  it("keeps the caller's filters and page size on every page", async () => {
    server = await channelServer(45);
    const names: string[] = [];
    for await (const c of client(server.url).paginate("/channel/list", { body: { query: "payments", limit: 20 } })) names.push(c.channel_name!);
    expect(names).toHaveLength(45);
    expect(server.requests.map((r) => JSON.parse(r.body))).toEqual([
      { query: "payments", p: 1, limit: 20 },
      { query: "payments", p: 2, limit: 20 },
      { query: "payments", p: 3, limit: 20 },
    ]);
  });

  it("stops before the 10,000-result ceiling with an error that says how to narrow the query", async () => {
    server = await channelServer(25_000);
    let seen = 0;
    const walk = async () => {
      for await (const _ of client(server!.url).paginate("/channel/list", { body: {} })) seen++;
    };
    await expect(walk()).rejects.toThrow(PaginationError);
    await expect(walk()).rejects.toThrow(/page 101 of 100 would reach past the server's ceiling of 10000 results \(p × limit\); narrow the query/);
    expect(seen).toBe(20_000); // two walks of 10,000
    expect(server.requests.every((r) => JSON.parse(r.body).p <= 100)).toBe(true); // never sent into the 400
  });
});

describe("token style (search_after_ctx)", () => {
  it("follows the cursor until the server stops returning one", async () => {
    const cursors = ["6650c3d1e2f4a5b6c7d8e901", "6650c3d1e2f4a5b6c7d8e902"];
    server = await startRecordingServer((req, res) => {
      const body = JSON.parse(req.body) as { search_after_ctx?: string };
      const page = body.search_after_ctx === undefined ? 0 : cursors.indexOf(body.search_after_ctx) + 1;
      const items = [{ incident_id: `6650c3d1e2f4a5b6c7d8e9${String(page).padStart(2, "0")}`, title: `incident ${page}` }];
      sendJson(res, 200, ok({ items, total: 3, has_next_page: page < 2, ...(page < 2 ? { search_after_ctx: cursors[page] } : {}) }));
    });
    const titles: string[] = [];
    for await (const incident of client(server.url).paginate("/incident/list", { body: { start_time: 1767787200, end_time: 1768392000 } })) titles.push(incident.title!);
    expect(titles).toEqual(["incident 0", "incident 1", "incident 2"]);
    const sent = server.requests.map((r) => JSON.parse(r.body));
    expect(sent.map((b) => b.search_after_ctx)).toEqual([undefined, ...cursors]);
    expect(sent.every((b) => b.limit === 100 && b.start_time === 1767787200)).toBe(true);
  });
});
