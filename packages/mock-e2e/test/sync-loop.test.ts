/**
 * The automation users actually write — make the provider match a desired list: list, diff, create the
 * missing, update the changed, delete the extra, list again — run against stateful mocks through the
 * real clients. A second run must find nothing to do.
 */
import { createClickStackCloudClient, type DashboardInput } from "@o11ykit/clickstack";
import { createFlashdutyClient, type components as flashduty } from "@o11ykit/flashduty";
import { createGrafanaCloudClient } from "@o11ykit/grafana-cloud";
import { startMock, type Mock } from "@o11ykit/mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

type DataSourceCreate = flashduty["schemas"]["DataSourceCreate"];

interface SyncReport {
  created: string[];
  updated: string[];
  deleted: string[];
}

/** A generic diff: by name; `changed` says whether a stored item differs from the wanted one. */
function diff<Want extends { name: string }, Have extends { name: string }>(wanted: Want[], current: Have[], changed: (have: Have, want: Want) => boolean) {
  const byName = new Map(current.map((h) => [h.name, h]));
  return {
    create: wanted.filter((w) => !byName.has(w.name)),
    update: wanted.flatMap((w) => {
      const have = byName.get(w.name);
      return have && changed(have, w) ? [{ have, want: w }] : [];
    }),
    remove: current.filter((h) => !wanted.some((w) => w.name === h.name)),
  };
}

describe("Flashduty data sources", () => {
  let mock: Mock;
  beforeAll(async () => {
    mock = await startMock("flashduty", {
      stateful: true,
      seed: {
        datasources: [
          { type_ident: "prometheus", name: "Prometheus Prod", address: "http://prometheus-old:9090", edge_cluster_name: "default", payload: { prometheus: {} } },
          { type_ident: "loki", name: "Loki Prod", address: "http://loki:3100", edge_cluster_name: "default", payload: { loki: {} } },
          { type_ident: "mysql", name: "Legacy DB", address: "legacy-db:3306", edge_cluster_name: "default", payload: { mysql: { username: "u" } } },
        ],
      },
    });
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  const fd = () => createFlashdutyClient({ appKey: "test-key", ...mock.clientOptions() });

  async function syncDataSources(wanted: DataSourceCreate[]): Promise<SyncReport> {
    const client = fd();
    const { data: current, error } = await client.POST("/monit/datasource/list", { body: {} });
    if (error) throw error;
    const plan = diff(wanted, current, (have, want) => have.address !== want.address || have.type_ident !== want.type_ident);
    for (const want of plan.create) {
      const { error } = await client.POST("/monit/datasource/create", { body: want });
      if (error) throw error;
    }
    for (const { have, want } of plan.update) {
      const { error } = await client.POST("/monit/datasource/update", { body: { ...want, id: have.id } });
      if (error) throw error;
    }
    for (const have of plan.remove) {
      const { error } = await client.POST("/monit/datasource/delete", { body: { id: have.id } });
      if (error) throw error;
    }
    return { created: plan.create.map((w) => w.name), updated: plan.update.map((u) => u.want.name), deleted: plan.remove.map((h) => h.name) };
  }

  const wanted: DataSourceCreate[] = [
    { type_ident: "prometheus", name: "Prometheus Prod", address: "http://prometheus:9090", edge_cluster_name: "default", payload: { prometheus: { basic_auth_enabled: false } } },
    { type_ident: "loki", name: "Loki Prod", address: "http://loki:3100", edge_cluster_name: "default", payload: { loki: {} } },
    { type_ident: "clickhouse", name: "Traces", address: "clickhouse:9000", edge_cluster_name: "default", payload: { clickhouse: { username: "reader" } } },
  ];

  it("creates the missing, updates the changed, deletes the extra, and then has nothing to do", async () => {
    expect(await syncDataSources(wanted)).toEqual({ created: ["Traces"], updated: ["Prometheus Prod"], deleted: ["Legacy DB"] });
    const { data } = await fd().POST("/monit/datasource/list", { body: {} });
    expect(data?.map((d) => [d.name, d.type_ident, d.address]).sort()).toEqual(wanted.map((w) => [w.name, w.type_ident, w.address]).sort());
    expect(await syncDataSources(wanted)).toEqual({ created: [], updated: [], deleted: [] });
    // The created one is readable by its new id, with the fields the server sets.
    const traces = data!.find((d) => d.name === "Traces")!;
    const info = await fd().POST("/monit/datasource/info", { body: { id: traces.id } });
    expect(info.data).toMatchObject({ id: traces.id, name: "Traces", enabled: true, payload: { clickhouse: { username: "reader" } } });
  });

  it("reset() puts the seed back between tests", async () => {
    const { data } = await fd().POST("/monit/datasource/list", { body: {} });
    expect(data?.map((d) => d.name)).toEqual(["Prometheus Prod", "Loki Prod", "Legacy DB"]);
  });

  it("a rejected create says what was wrong through ApiError.providerMessage", async () => {
    const { error } = await fd().POST("/monit/datasource/create", {
      // @ts-expect-error the typo the test is about
      body: { type_ident: "prometheus", name: "P", address: "http://p:9090", edge_cluster: "default", payload: { prometheus: {} } },
    });
    expect(error?.code).toBe("InvalidParameter");
    expect(error?.providerMessage).toMatch(/edge_cluster_name: is required \(the body has `edge_cluster`: did you mean `edge_cluster_name`\?\)/);
  });

  it("an unknown id is the provider's ResourceNotFound", async () => {
    const { error } = await fd().POST("/monit/datasource/delete", { body: { id: 999_999 } });
    expect(error).toMatchObject({ status: 400, code: "ResourceNotFound", providerMessage: "datasources 999999 not found" });
  });
});

describe("Grafana Cloud access policies", () => {
  let mock: Mock;
  beforeAll(async () => {
    // Four existing policies, so the walk below crosses pages of 2.
    const policy = (name: string, scopes: string[]) => ({ name, scopes, realms: [{ type: "stack", identifier: "4182734" }] });
    mock = await startMock("grafana-cloud", {
      stateful: true,
      seed: { "access-policies": [policy("ci-readers", ["metrics:read"]), policy("ci-writers", ["metrics:write"]), policy("old-exporter", ["logs:read"]), policy("alerts", ["alerts:read"])] },
    });
  });
  afterAll(() => mock.close());

  const region = "us";
  type Wanted = { name: string; scopes: string[] };

  it("syncs by name across pages, with the cursor the mock hands out", async () => {
    const gc = createGrafanaCloudClient({ token: "glc_test", ...mock.clientOptions() });
    const listAll = async () => {
      const all = [];
      for await (const p of gc.paginate("/v1/accesspolicies", { params: { query: { region, pageSize: 2 } } })) all.push(p);
      return all;
    };
    const sync = async (wanted: Wanted[]): Promise<SyncReport> => {
      const plan = diff(wanted, await listAll(), (have, want) => have.scopes.join() !== want.scopes.join());
      const realms = [{ type: "stack" as const, identifier: "4182734" }];
      for (const want of plan.create) {
        const { error } = await gc.POST("/v1/accesspolicies", { params: { query: { region } }, body: { ...want, realms } });
        if (error) throw error;
      }
      for (const { have, want } of plan.update) {
        const { error } = await gc.POST("/v1/accesspolicies/{access_policy_id}", { params: { path: { access_policy_id: have.id }, query: { region } }, body: { scopes: want.scopes, realms } });
        if (error) throw error;
      }
      for (const have of plan.remove) {
        const { error } = await gc.DELETE("/v1/accesspolicies/{access_policy_id}", { params: { path: { access_policy_id: have.id }, query: { region } } });
        if (error) throw error;
      }
      return { created: plan.create.map((w) => w.name), updated: plan.update.map((u) => u.want.name), deleted: plan.remove.map((h) => h.name) };
    };

    const wanted: Wanted[] = [
      { name: "ci-readers", scopes: ["metrics:read", "logs:read"] },
      { name: "ci-writers", scopes: ["metrics:write"] },
      { name: "alerts", scopes: ["alerts:read"] },
      { name: "deployer", scopes: ["stacks:write"] },
    ];
    expect(await sync(wanted)).toEqual({ created: ["deployer"], updated: ["ci-readers"], deleted: ["old-exporter"] });
    const after = await listAll();
    expect(after.map((p) => [p.name, p.scopes])).toEqual(expect.arrayContaining(wanted.map((w) => [w.name, w.scopes])));
    expect(after).toHaveLength(4);
    expect(await sync(wanted)).toEqual({ created: [], updated: [], deleted: [] });
    const gone = await gc.GET("/v1/accesspolicies/{access_policy_id}", { params: { path: { access_policy_id: "c45485b6-8321-4cf2-bcec-12006df755ff" }, query: { region } } });
    expect(gone.error).toMatchObject({ status: 404, code: "NotFound" });
  });
});

describe("managed ClickStack dashboards", () => {
  let mock: Mock;
  beforeAll(async () => {
    mock = await startMock("clickstack-cloud", { stateful: true });
  });
  afterAll(() => mock.close());

  const tile = (name: string): DashboardInput["tiles"][number] => ({
    name, x: 0, y: 0, w: 12, h: 4,
    config: { displayType: "line", sourceId: "65f5e4a3b9e77c001a123456", select: [{ aggFn: "count" }] },
  });

  it("syncs dashboards without waiting on the real 10-requests-per-10-s limit", async () => {
    const client = (keyId: string) =>
      createClickStackCloudClient({
        keyId, keySecret: "s",
        organizationId: "7c5f0e1a-0b2d-4c1e-9f3a-5d6e7f8a9b0c", serviceId: "1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6",
        ...mock.clientOptions(),
      });
    const cs = client("k");
    const sync = async (wanted: DashboardInput[]): Promise<SyncReport> => {
      const { data: current, error } = await cs.GET("/dashboards");
      if (error) throw error;
      const plan = diff(wanted, current, (have, want) => JSON.stringify(have.tiles.map((t) => t.name)) !== JSON.stringify(want.tiles.map((t) => t.name)));
      for (const want of plan.create) if ((await cs.POST("/dashboards", { body: want })).error) throw new Error(`create ${want.name}`);
      for (const { have, want } of plan.update) {
        const { error } = await cs.PUT("/dashboards/{dashboardId}", { params: { path: { dashboardId: have.id } }, body: { name: want.name, tiles: want.tiles } });
        if (error) throw error;
      }
      for (const have of plan.remove) if ((await cs.DELETE("/dashboards/{dashboardId}", { params: { path: { dashboardId: have.id } } })).error) throw new Error(`delete ${have.name}`);
      return { created: plan.create.map((w) => w.name), updated: plan.update.map((u) => u.want.name), deleted: plan.remove.map((h) => h.name) };
    };

    // Warm Prism up first (it compiles the large tile-union schema on first use), so the timing below
    // measures the client, not that. Another key: its calls do not count against `cs`'s budget.
    const warmer = client("warm-up");
    const warm = await warmer.POST("/dashboards", { body: { name: "warm-up", tiles: [tile("t")] } });
    await warmer.PUT("/dashboards/{dashboardId}", { params: { path: { dashboardId: warm.data!.id } }, body: { name: "warm-up", tiles: [] } });
    await warmer.DELETE("/dashboards/{dashboardId}", { params: { path: { dashboardId: warm.data!.id } } });

    const started = Date.now();
    const first: DashboardInput[] = ["Checkout", "Payments", "Search", "Ads", "Legacy"].map((name) => ({ name, tiles: [tile("Errors")] }));
    expect(await sync(first)).toEqual({ created: ["Checkout", "Payments", "Search", "Ads", "Legacy"], updated: [], deleted: [] });
    const second: DashboardInput[] = [
      ...first.slice(0, 3),
      { name: "Ads", tiles: [tile("Errors"), tile("Latency")] },
      { name: "Inventory", tiles: [tile("Errors")] },
    ];
    expect(await sync(second)).toEqual({ created: ["Inventory"], updated: ["Ads"], deleted: ["Legacy"] });
    const { data } = await cs.GET("/dashboards");
    expect(data?.map((d) => [d.name, d.tiles.map((t) => t.name)]).sort()).toEqual(second.map((d) => [d.name, d.tiles.map((t) => t.name)]).sort());
    expect(data?.every((d) => d.tiles.every((t) => /^[0-9a-f]{24}$/.test(t.id)))).toBe(true); // server-made tile ids
    expect(await sync(second)).toEqual({ created: [], updated: [], deleted: [] });
    // 12 calls on one key: with the real limit on, the 11th would have waited until 10 s after the first.
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});
