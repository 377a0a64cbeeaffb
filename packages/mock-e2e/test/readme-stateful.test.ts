// The README's stateful-mode example ("Testing your code"), verbatim, so that it is known to work.
// sync.test.ts
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { startMock, type Mock } from "@o11ykit/mock";
import { createFlashdutyClient, type components } from "@o11ykit/flashduty";

type DataSourceCreate = components["schemas"]["DataSourceCreate"];

let mock: Mock;
beforeAll(async () => {
  mock = await startMock("flashduty", {
    stateful: true,
    seed: {
      datasources: [
        { type_ident: "prometheus", name: "Prometheus", address: "http://old-prometheus:9090", edge_cluster_name: "default", payload: { prometheus: {} } },
        { type_ident: "loki", name: "Old Loki", address: "http://loki:3100", edge_cluster_name: "default", payload: { loki: {} } },
      ],
    },
  });
});
beforeEach(() => mock.reset()); // every test starts from the seed
afterAll(() => mock.close());

// The code under test: make Flashduty's data sources match a desired list.
async function sync(fd: ReturnType<typeof createFlashdutyClient>, wanted: DataSourceCreate[]) {
  const { data: current, error } = await fd.POST("/monit/datasource/list", { body: {} });
  if (error) throw error;
  for (const want of wanted) {
    const have = current.find((d) => d.name === want.name);
    if (!have) await fd.POST("/monit/datasource/create", { body: want });
    else if (have.address !== want.address) await fd.POST("/monit/datasource/update", { body: { ...want, id: have.id } });
  }
  for (const have of current) {
    if (!wanted.some((w) => w.name === have.name)) await fd.POST("/monit/datasource/delete", { body: { id: have.id } });
  }
}

it("creates the missing, updates the changed and deletes the extra", async () => {
  const fd = createFlashdutyClient({ appKey: "test-key", ...mock.clientOptions() });
  const wanted: DataSourceCreate[] = [
    { type_ident: "prometheus", name: "Prometheus", address: "http://prometheus:9090", edge_cluster_name: "default", payload: { prometheus: {} } },
    { type_ident: "mysql", name: "Orders DB", address: "mysql:3306", edge_cluster_name: "default", payload: { mysql: { username: "monitor" } } },
  ];
  await sync(fd, wanted);
  const { data } = await fd.POST("/monit/datasource/list", { body: {} });
  expect(data?.map((d) => [d.name, d.address])).toEqual([["Prometheus", "http://prometheus:9090"], ["Orders DB", "mysql:3306"]]);
});
