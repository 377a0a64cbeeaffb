// Compile-time checks (run by `tsc` in the typecheck task): the types refuse what Flashduty refuses.
import { createFlashdutyClient } from "../src/index.js";

const fd = createFlashdutyClient({ appKey: "k" });

void fd.POST("/monit/datasource/create", {
  // @ts-expect-error — `address` is required for prometheus
  body: { type_ident: "prometheus", name: "p", edge_cluster_name: "default", payload: { prometheus: {} } },
});

void fd.POST("/monit/datasource/create", {
  // Elastic Cloud needs no address
  body: { type_ident: "elasticsearch", name: "es", edge_cluster_name: "default", payload: { elasticsearch: { deployment: "cloud", cloud_id: "c" } } },
});

void fd.POST("/monit/datasource/create", {
  // @ts-expect-error — `type_ident` is an enum
  body: { type_ident: "graphite", name: "g", address: "http://g", edge_cluster_name: "default", payload: {} },
});

void fd.POST("/monit/datasource/update", {
  // @ts-expect-error — update needs the `id`
  body: { type_ident: "loki", name: "l", address: "http://l", edge_cluster_name: "default", payload: { loki: {} } },
});

// @ts-expect-error — not an operation of the spec
void fd.POST("/monit/datasource/rename", { body: {} });

// @ts-expect-error — Flashduty has no GET operations
void fd.GET("/monit/datasource/list");

void fd.POST("/monit/datasource/info", {
  body: { id: 1 },
  // @ts-expect-error — call options are typed
  timeoutMs: "fast",
});
