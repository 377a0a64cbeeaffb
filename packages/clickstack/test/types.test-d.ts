// Compile-time checks (run by `tsc` in the typecheck task).
import { createClickStackClient, createClickStackCloudClient, type cloud, type Dashboard, type oss, type TileConfig } from "../src/index.js";

// One set of resource types: the managed and open-source generated types are interchangeable.
const fromCloud = {} as cloud.Dashboard;
const fromOss = {} as oss.Dashboard;
const a: Dashboard = fromCloud;
const b: cloud.Dashboard = fromOss;
void a;
void b;

// @ts-expect-error — a builder line tile needs `select`
const noSelect: TileConfig = { displayType: "line", sourceId: "65f5e4a3b9e77c001a123456" };
void noSelect;

// The raw-SQL form needs no select, but needs its SQL.
const sql: TileConfig = { displayType: "line", configType: "sql", connectionId: "c1", sqlTemplate: "SELECT 1" };
void sql;

// @ts-expect-error — search tiles take a string select and need whereLanguage
const search: TileConfig = { displayType: "search", sourceId: "65f5e4a3b9e77c001a123456", select: [{ aggFn: "count" }] };
void search;

const ossClient = createClickStackClient({ baseUrl: "http://clickstack.internal:8000", apiKey: "k" });
void ossClient.POST("/api/v2/alerts", {
  // @ts-expect-error — a tile alert needs tileId
  body: { source: "tile", dashboardId: "d", threshold: 1, thresholdType: "above", interval: "5m", channel: { type: "webhook", webhookId: "w" } },
});
void ossClient.POST("/api/v2/alerts", {
  // @ts-expect-error — open source has no email channel
  body: { source: "saved_search", savedSearchId: "s", threshold: 1, thresholdType: "above", interval: "5m", channel: { type: "email", emailRecipients: ["a@b.c"] } },
});

const cloudClient = createClickStackCloudClient({ keyId: "k", keySecret: "s", organizationId: "o", serviceId: "s" });
void cloudClient.POST("/alerts", {
  body: { source: "saved_search", savedSearchId: "s", threshold: 1, thresholdType: "above", interval: "5m", channel: { type: "email", emailRecipients: ["a@b.c"] } },
});
// @ts-expect-error — charts are open-source only
void cloudClient.POST("/charts/series", { body: {} });
