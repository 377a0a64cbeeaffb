#!/usr/bin/env node
// The main job's closing demo: a Flashduty client against a local Prism mock of our spec.
import { createRequire } from "node:module";
import { startPrism } from "@o11ykit/mock";
import { ApiError, createFlashdutyClient, requestIdOf } from "@o11ykit/flashduty";

const spec = createRequire(import.meta.url).resolve("@o11ykit/flashduty/openapi.json");
const started = performance.now();
const mock = await startPrism({ spec });
console.log(`Prism mock of the Flashduty spec on ${mock.url} (started in ${Math.round(performance.now() - started)} ms)`);

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
  if (!(bad.error instanceof ApiError)) throw new Error("expected the mock to reject an invalid address");
  const violations = JSON.parse(bad.response.headers.get("sl-violations") ?? "[]");
  const violation = violations.find((v) => v.location.includes("edge_cluster_name"));
  console.log(`invalid request → ${bad.error.name} ${bad.error.status} ${bad.error.code} (the mock's validator: "${violation?.message}")`);
  console.log(`the error's URL hides the key: ${bad.error.url}`);
} finally {
  await mock.close();
}
console.log("demo finished");
