/**
 * Stateful mode, driven by nothing but the specs' `x-o11ykit-crud`: every declared collection of every
 * provider goes through create → read → list → update → delete → read-after-delete, with the spec's
 * own request examples, behind a Prism proxy that checks each stateful answer against the spec (any
 * response that breaks it comes back with an `sl-violations` header).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { readCrudModel, type CrudOperation } from "../src/crud.js";
import { MOCK_PROVIDERS, exampleRequest, mockControl, specPath, startMock, startPrism, type MockControl, type MockProvider, type PrismServer } from "../src/index.js";
import { loadSpec } from "../src/providers.js";

const AUTH: Record<MockProvider, { headers: Record<string, string>; query: Record<string, string> }> = {
  flashduty: { headers: {}, query: { app_key: "k" } },
  "grafana-cloud": { headers: { authorization: "Bearer t" }, query: {} },
  "clickstack-cloud": { headers: { authorization: `Basic ${btoa("id:secret")}` }, query: {} },
  "clickstack-oss": { headers: { authorization: "Bearer t" }, query: {} },
};

interface Call {
  status: number;
  violations: string | null;
  headers: Headers;
  body: any;
}

async function call(provider: MockProvider, base: string, crud: CrudOperation, id?: unknown, bodyOverride?: Record<string, unknown>): Promise<Call> {
  const spec = loadSpec(specPath(provider));
  const example = exampleRequest(spec, crud.op.method, crud.op.path);
  const pathParams = { ...example.params.path };
  let body = example.body as Record<string, unknown> | undefined;
  if (crud.id?.in === "path") pathParams[crud.id.name] = id;
  if (crud.id?.in === "body") body = { ...(body ?? {}), [crud.id.name]: id };
  if (bodyOverride) body = { ...(body ?? {}), ...bodyOverride };
  const path = crud.op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(pathParams[name])));
  const query = new URLSearchParams({ ...AUTH[provider].query, ...(example.params.query as Record<string, string>) });
  if (crud.id?.in === "query") query.set(crud.id.name, String(id));
  const response = await fetch(`${base}${path}?${query}`, {
    method: crud.op.method,
    headers: { ...AUTH[provider].headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* plain text */
  }
  return { status: response.status, violations: response.headers.get("sl-violations"), headers: response.headers, body: parsed };
}

const payload = (provider: MockProvider, body: any) => {
  const data = loadSpec(specPath(provider))["x-o11ykit-envelope"]?.data;
  return data ? body?.[data] : body;
};

/**
 * One stateful mock per provider, with a Prism proxy in front that checks every answer against the
 * spec. Each Prism takes seconds of CPU to start, so the mocks are the ones the global setup starts
 * once for the whole run (test/stateful-mocks.setup.ts; validation-errors.test.ts sends them only
 * requests that are rejected before state is consulted), driven here through their control endpoint,
 * and a provider's checking proxy is started once, on first use, and shared by the tests of this file.
 * `beforeEach` below resets every mock to its (empty) seed, so a test only ever sees the resources it
 * made itself.
 */
type SharedMock = MockControl & { url: string };
interface CheckedMock {
  mock: SharedMock;
  checker: PrismServer; // Prism in proxy mode: validates every answer of the stateful mock
}
const mockUrls = inject("statefulMocks");
const sharedMock = (provider: MockProvider): SharedMock => ({ url: mockUrls[provider], ...mockControl(mockUrls[provider]) });
const checkers = new Map<MockProvider, Promise<PrismServer>>();

async function checkedMock(provider: MockProvider): Promise<CheckedMock> {
  let checker = checkers.get(provider);
  if (!checker) checkers.set(provider, (checker = startPrism({ spec: specPath(provider), upstream: mockUrls[provider] })));
  return { mock: sharedMock(provider), checker: await checker };
}

beforeEach(async () => {
  await Promise.all(MOCK_PROVIDERS.map((provider) => sharedMock(provider).reset()));
});
afterAll(async () => {
  // The checkers started so far (a failed start is left out: its test already failed); the global setup stops the mocks.
  await Promise.all([...checkers.values()].map(async (checker) => (await checker.catch(() => undefined))?.close()));
});

describe.each(MOCK_PROVIDERS)("%s stateful mock", (provider) => {
  let mock: SharedMock;
  let checker: PrismServer;
  beforeAll(async () => {
    ({ mock, checker } = await checkedMock(provider));
  }, 60_000);

  const model = readCrudModel(loadSpec(specPath(provider)));
  it("declares collections", () => {
    expect(model.collections.size).toBeGreaterThan(0);
  });

  for (const collection of model.collections.values()) {
    const role = (r: string) => collection.operations.find((o) => o.role === r);
    it(`${collection.name}: create, read, list, update and delete keep state, and every answer matches the spec`, async () => {
      try {
        await crudRoundTrip();
      } catch (error) {
        // Say what Prism (the checking proxy) printed, when the failure is its.
        throw new Error(`${(error as Error).message}\n--- checking proxy output:\n${checker.output().slice(-3000)}`, { cause: error });
      }
    }, 60_000); // Prism compiles a large union schema (dashboard tiles) on first use: seconds on a loaded machine
    async function crudRoundTrip() {
      const create = role("create")!;
      const created = await call(provider, checker.url, create);
      expect(created.violations, JSON.stringify(created.body)).toBeNull();
      expect(created.status).toBeLessThan(300);
      const id = payload(provider, created.body)[collection.idField];
      expect(id).toBeDefined();
      const stored = (await mock.state())[collection.name]!;
      expect(stored.map((r) => r[collection.idField])).toContain(id);

      const read = role("read");
      if (read) {
        const got = await call(provider, checker.url, read, id);
        expect(got.violations, JSON.stringify(got.body)).toBeNull();
        expect(got.status).toBe(200);
        expect(payload(provider, got.body)[collection.idField]).toEqual(id);
      }
      const list = role("list");
      if (list) {
        const listed = await call(provider, checker.url, list);
        expect(listed.violations, JSON.stringify(listed.body)).toBeNull();
        expect(JSON.stringify(payload(provider, listed.body))).toContain(JSON.stringify(id));
      }
      const update = collection.operations.find((o) => o.role === "update" && Object.keys(o.set).length === 0);
      if (update) {
        const updated = await call(provider, checker.url, update, id);
        expect(updated.violations, JSON.stringify(updated.body)).toBeNull();
        expect(updated.status).toBeLessThan(300);
      }
      const remove = role("delete")!;
      const deleted = await call(provider, checker.url, remove, id);
      expect(deleted.violations).toBeNull();
      expect(deleted.status).toBeLessThan(300);
      expect((await mock.state())[collection.name]!.map((r) => r[collection.idField])).not.toContain(id);
      if (read) {
        const gone = await call(provider, checker.url, read, id);
        expect(gone.status).toBeGreaterThanOrEqual(400);
        expect(gone.violations).toBeNull(); // the not-found answer is one the spec documents
      }
    }
  }
});

it("the checking proxy does catch a stateful answer that breaks the spec", async () => {
  // A seeded resource with a wrongly typed field is answered as stored; Prism's proxy flags it.
  const { mock, checker } = await checkedMock("flashduty");
  await mock.seed({ datasources: [{ id: 3, type_ident: "loki", name: "L", address: "http://l:3100", edge_cluster_name: "d", enabled: "yes" }] });
  const response = await fetch(`${checker.url}/monit/datasource/info?app_key=k`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"id":3}' });
  expect(response.headers.get("sl-violations")).toMatch(/enabled.*must be boolean/);
}, 60_000);

describe("not-found errors are each provider's own", () => {
  it("Flashduty: 400 ResourceNotFound in its envelope; Grafana: 404 NotFound; ClickStack: plain-text 404, and a delete that succeeds", async () => {
    const [{ mock: flashduty }, { mock: grafana }, { mock: oss }] = await Promise.all([checkedMock("flashduty"), checkedMock("grafana-cloud"), checkedMock("clickstack-oss")]);
    const fd = await fetch(`${flashduty.url}/monit/datasource/info?app_key=k`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"id":424242}' });
    expect(fd.status).toBe(400);
    expect(await fd.json()).toMatchObject({ request_id: expect.any(String), error: { code: "ResourceNotFound", message: "datasources 424242 not found" } });
    const gc = await fetch(`${grafana.url}/v1/accesspolicies/c45485b6-8321-4cf2-bcec-12006df755ff?region=us`, { headers: { authorization: "Bearer t" } });
    expect(gc.status).toBe(404);
    expect(await gc.json()).toMatchObject({ code: "NotFound" });
    const cs = await fetch(`${oss.url}/api/v2/dashboards/65f5e4a3b9e77c001a567890`, { headers: { authorization: "Bearer t" } });
    expect([cs.status, cs.headers.get("content-type"), await cs.text()]).toEqual([404, expect.stringMatching(/text\/plain/), "Not Found"]);
    // The open-source server deletes by id and answers {} whether or not a dashboard matched (its spec has no 404).
    const del = await fetch(`${oss.url}/api/v2/dashboards/65f5e4a3b9e77c001a567890`, { method: "DELETE", headers: { authorization: "Bearer t" } });
    expect([del.status, await del.json()]).toEqual([200, {}]);
  }, 60_000);
});

describe("pagination in each provider's style", () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  it("Flashduty p/limit with total and has_next_page", async () => {
    const { mock } = await checkedMock("flashduty");
    await mock.seed({ channels: ids(5).map((i) => ({ channel_name: `c${i}`, team_id: 1 })) });
    const page = async (p: number) => (await (await fetch(`${mock.url}/channel/list?app_key=k`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ p, limit: 2 }) })).json()).data;
    expect(await page(1)).toMatchObject({ total: 5, has_next_page: true, items: [{ channel_name: "c1" }, { channel_name: "c2" }] });
    expect(await page(3)).toMatchObject({ total: 5, has_next_page: false, items: [{ channel_name: "c5" }] });
  }, 60_000);

  it("Grafana cursor: metadata.pagination.nextPage until null", async () => {
    const seed = { "access-policies": ids(5).map((i) => ({ name: `p${i}`, scopes: ["metrics:read"], realms: [] })) };
    const { mock } = await checkedMock("grafana-cloud");
    await mock.seed(seed);
    const names: string[] = [];
    let next: string | null = "/v1/accesspolicies?region=us&pageSize=2";
    let pages = 0;
    while (next && pages++ < 10) {
      const body: any = await (await fetch(`${mock.url}${next}`, { headers: { authorization: "Bearer t" } })).json();
      names.push(...body.items.map((p: { name: string }) => p.name));
      expect(body.metadata.pagination.pageSize).toBe(2);
      next = body.metadata.pagination.nextPage;
    }
    expect(names).toEqual(["p1", "p2", "p3", "p4", "p5"]);
    expect(pages).toBe(3);
  }, 60_000);

  it("open-source ClickStack limit/offset with X-Total-Count and meta", async () => {
    const webhook = (i: number) => ({ name: `w${i}`, service: "generic", url: `https://hooks.example.com/${i}` });
    const { mock } = await checkedMock("clickstack-oss");
    await mock.seed({ webhooks: ids(3).map(webhook) });
    const response = await fetch(`${mock.url}/api/v2/webhooks?limit=2&offset=2`, { headers: { authorization: "Bearer t" } });
    expect(response.headers.get("x-total-count")).toBe("3");
    expect(await response.json()).toMatchObject({ data: [{ name: "w3" }], meta: { total: 3, limit: 2, offset: 2 } });
  }, 60_000);
});

describe("seed, state and reset", () => {
  it("seeds at start and over the control endpoint, and reset() goes back to the start", async () => {
    const mock = await startMock("flashduty", { stateful: true, seed: { datasources: [{ id: 7, type_ident: "loki", name: "Loki", address: "http://loki:3100", edge_cluster_name: "default" }] } });
    try {
      const list = async () => (await (await fetch(`${mock.url}/monit/datasource/list?app_key=k`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json()).data.map((d: { id: number }) => d.id);
      expect(await list()).toEqual([7]);
      const seeded = (await mock.state())["datasources"]![0]!;
      expect(seeded).toMatchObject({ enabled: true, alerting_enabled: true, updated_at: expect.any(Number) }); // required fields filled in
      const control = mockControl(mock.url);
      await control.seed({ datasources: [{ type_ident: "prometheus", name: "P", address: "http://p:9090", edge_cluster_name: "default" }] });
      const [first, added] = await list();
      expect(first).toBe(7);
      expect(added).toBeGreaterThan(7); // a new integer id past the largest one seen
      expect(Object.keys(await control.state())).toEqual(expect.arrayContaining(["datasources", "channels"]));
      await control.reset();
      expect(await list()).toEqual([7]);
      await mock.reset();
      expect(await list()).toEqual([7]);
      await expect(control.seed({ datasource: [] } as never)).rejects.toThrow(/no collection `datasource`.*datasources/);
    } finally {
      await mock.close();
    }
  }, 60_000);

  it("refuses a seed without stateful mode, and state requests on a stateless mock", async () => {
    await expect(startMock("flashduty", { seed: {} })).rejects.toThrow(/`seed` needs `stateful: true`/);
    const mock = await startMock("flashduty");
    try {
      await mockControl(mock.url).reset(); // a no-op, so shared hooks work on either kind
      await expect(mockControl(mock.url).state()).rejects.toThrow(/not stateful/);
      expect(mock.clientOptions()).toEqual({ baseUrl: mock.url, rateLimits: "off" });
    } finally {
      await mock.close();
    }
  }, 60_000);
});
