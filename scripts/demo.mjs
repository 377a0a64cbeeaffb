#!/usr/bin/env node
// The main job's closing demo: each provider client against a local mock of its spec (@o11ykit/mock:
// Prism with request validation, behind the proxy that names what a rejected request got wrong).
import { startMock as startProviderMock } from "@o11ykit/mock";
import { ApiError, createFlashdutyClient, requestIdOf } from "@o11ykit/flashduty";
import { createGrafanaCloudClient } from "@o11ykit/grafana-cloud";
import { createClickStackClient, createClickStackCloudClient } from "@o11ykit/clickstack";

const PROVIDERS = {
  "@o11ykit/flashduty": "flashduty",
  "@o11ykit/grafana-cloud": "grafana-cloud",
  "@o11ykit/clickstack/cloud": "clickstack-cloud",
  "@o11ykit/clickstack/oss": "clickstack-oss",
};

async function startMock(name, pkg) {
  const started = performance.now();
  const mock = await startProviderMock(PROVIDERS[pkg]);
  console.log(`\n${name}: mock of the spec on ${mock.url} (started in ${Math.round(performance.now() - started)} ms)`);
  return mock;
}

let mock = await startMock("Flashduty", "@o11ykit/flashduty");

try {
  const fd = createFlashdutyClient({ appKey: "demo-app-key", baseUrl: mock.url });

  const created = await fd.POST("/monit/datasource/create", {
    body: {
      type_ident: "prometheus",
      name: "Prometheus Prod",
      address: "http://prometheus.example.com:9090",
      edge_cluster_name: "default",
      payload: { prometheus: { basic_auth_enabled: false } },
    },
  });
  if (created.error) throw created.error;
  console.log(`created data source #${created.data.id} "${created.data.name}" (request ${requestIdOf(created.response)})`);

  const list = await fd.POST("/monit/datasource/list", { body: {} });
  if (list.error) throw list.error;
  console.log(`listed ${list.data.length} data sources: ${list.data.map((d) => `${d.name} [${d.type_ident}]`).join(", ")}`);

  // A request the spec rejects: Prism validates it and the client returns a typed ApiError.
  const bad = await fd.POST("/monit/datasource/create", {
    body: { type_ident: "mysql", name: "Orders", address: "db.example.com:3306", edge_cluster_name: "", payload: { mysql: {} } },
  });
  if (!(bad.error instanceof ApiError)) throw new Error("expected the mock to reject an empty edge_cluster_name");
  console.log(`invalid request → ${bad.error.name} ${bad.error.status} ${bad.error.code}: ${bad.error.providerMessage}`);
  console.log(`the error's URL hides the key: ${bad.error.url}`);
} finally {
  await mock.close();
}

mock = await startMock("Grafana Cloud", "@o11ykit/grafana-cloud");
try {
  const gc = createGrafanaCloudClient({ token: "glc_demo_token", baseUrl: mock.url });
  const region = "eu";
  const policy = await gc.POST("/v1/accesspolicies", {
    params: { query: { region } },
    body: { name: "ci-readers", scopes: ["metrics:read", "logs:read"], realms: [{ type: "stack", identifier: "123" }] },
  });
  if (policy.error) throw policy.error;
  console.log(`created access policy ${policy.data.id} (${policy.data.scopes.join(", ")})`);
  const token = await gc.POST("/v1/tokens", { params: { query: { region } }, body: { accessPolicyId: policy.data.id, name: "ci-reader" } });
  if (token.error) throw token.error;
  console.log(`created token "${token.data.name}" (secret returned once, ${token.data.token.length} characters)`);
  let count = 0;
  for await (const p of gc.paginate("/v1/accesspolicies", { params: { query: { region } } })) count += p.name ? 1 : 0;
  console.log(`listed ${count} access policies across every page`);
} finally {
  await mock.close();
}

// ClickStack, both deployments with the same resource types: a dashboard with a line tile, then a tile alert.
const lineTile = {
  name: "Errors per minute",
  x: 0,
  y: 0,
  w: 12,
  h: 4,
  config: { displayType: "line", sourceId: "65f5e4a3b9e77c001a123456", select: [{ aggFn: "count", where: "SeverityText:error", whereLanguage: "lucene" }] },
};
async function dashboardThenAlert(name, client, dashboardsPath, alertsPath, channel) {
  const dashboard = await client.POST(dashboardsPath, { body: { name: "Checkout service", tiles: [lineTile] } });
  if (dashboard.error) throw dashboard.error;
  const tile = dashboard.data.tiles[0];
  const alert = await client.POST(alertsPath, {
    body: { source: "tile", dashboardId: dashboard.data.id, tileId: tile.id, threshold: 100, thresholdType: "above", interval: "5m", channel },
  });
  if (alert.error) throw alert.error;
  console.log(`${name}: dashboard ${dashboard.data.id} with tile "${tile.name}", alert ${alert.data.id} (${alert.data.state})`);
}

mock = await startMock("ClickStack (managed)", "@o11ykit/clickstack/cloud");
try {
  const cloud = createClickStackCloudClient({
    keyId: "demo-key-id",
    keySecret: "demo-key-secret",
    organizationId: "7c5f0e1a-0b2d-4c1e-9f3a-5d6e7f8a9b0c",
    serviceId: "1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6",
    baseUrl: mock.url,
  });
  await dashboardThenAlert("managed", cloud, "/dashboards", "/alerts", { type: "email", emailRecipients: ["oncall@acme.io"] });
} finally {
  await mock.close();
}

mock = await startMock("ClickStack (open source)", "@o11ykit/clickstack/oss");
try {
  const oss = createClickStackClient({ baseUrl: mock.url, apiKey: "demo-api-key" });
  await dashboardThenAlert("open source", oss, "/api/v2/dashboards", "/api/v2/alerts", { type: "webhook", webhookId: "65f5e4a3b9e77c001a789012" });
} finally {
  await mock.close();
}
console.log("\ndemo finished");
