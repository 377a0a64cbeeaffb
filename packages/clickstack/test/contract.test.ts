/**
 * Contract tests: every operation of both ClickStack specs, called through the real clients against
 * Prism mocks of the same specs with request validation on (no `sl-violations` allowed), plus the
 * README flow for each deployment: a dashboard with a line tile, then a tile alert on it.
 */
import { exampleRequest, startPrism, type PrismServer } from "@o11ykit/mock";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import {
  ApiError,
  cloudMetadata,
  createClickStackClient,
  createClickStackCloudClient,
  ossMetadata,
  type ClickStackClient,
  type ClickStackCloudClient,
  type Dashboard,
} from "../src/index.js";

const specFile = (name: string) => fileURLToPath(new URL(`../src/generated/${name}/openapi.json`, import.meta.url));
const ORG = "7c5f0e1a-0b2d-4c1e-9f3a-5d6e7f8a9b0c";
const SERVICE = "1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6";

let cloudMock: PrismServer;
let ossMock: PrismServer;
let cloud: ClickStackCloudClient;
let oss: ClickStackClient;
const called = { cloud: new Set<string>(), oss: new Set<string>() };

beforeAll(async () => {
  // The run's shared Prisms for these specs, if `npm test` started them.
  [cloudMock, ossMock] = await Promise.all([startPrism({ spec: specFile("cloud"), share: true }), startPrism({ spec: specFile("oss"), share: true })]);
  // The mock enforces no rate limit; the managed API's 10 requests per 10 s would make this suite take a minute.
  cloud = createClickStackCloudClient({ keyId: "key-id", keySecret: "key-secret", organizationId: ORG, serviceId: SERVICE, baseUrl: cloudMock.url, maxRetries: 0, rateLimits: "off" });
  oss = createClickStackClient({ baseUrl: ossMock.url, apiKey: "personal-api-key", maxRetries: 0 });
}, 60_000);
afterAll(async () => {
  await Promise.all([cloudMock?.close(), ossMock?.close()]);
});

function expectValid(response: Response, deployment: "cloud" | "oss", key: string) {
  expect(response.headers.get("sl-violations"), `${deployment} ${key}: Prism found the request invalid`).toBeNull();
  expect(response.ok, `${deployment} ${key}: HTTP ${response.status}`).toBe(true);
  called[deployment].add(key);
}

const line = {
  name: "Errors per minute",
  x: 0,
  y: 0,
  w: 12,
  h: 4,
  config: { displayType: "line" as const, sourceId: "65f5e4a3b9e77c001a123456", select: [{ aggFn: "count" as const, where: "SeverityText:error", whereLanguage: "lucene" as const }], groupBy: "ServiceName" },
};

describe("every operation, with the spec's examples", () => {
  for (const [deployment, metadata] of [
    ["cloud", cloudMetadata],
    ["oss", ossMetadata],
  ] as const) {
    for (const key of Object.keys(metadata.operations)) {
      const [method, path] = key.split(" ") as [string, string];
      it(`${deployment} ${key}`, async () => {
        const client = (deployment === "cloud" ? cloud : oss) as any;
        const { response, error } = await client[method](path, exampleRequest(specFile(deployment), method, path));
        expect(error).toBeUndefined();
        expectValid(response, deployment, key);
      });
    }
  }
});

describe("operation methods", () => {
  it("every operation of both deployments is a method, with the same types as the path style", async () => {
    for (const [client, metadata] of [
      [cloud, cloudMetadata],
      [oss, ossMetadata],
    ] as const) {
      for (const [key, op] of Object.entries(metadata.operations)) {
        const [group, name] = op.call.split(".") as [string, string];
        expect(typeof (client as any)[group]?.[name], `${key} as ${op.call}`).toBe("function");
      }
    }
    const dashboards = await oss.dashboards.list();
    expect(dashboards.error).toBeUndefined();
    expectTypeOf(dashboards.data).toExtend<Dashboard[] | undefined>();
    expect(dashboards.data?.[0]?.name).toBe("Checkout service");
    const managed = await cloud.dashboards.list();
    expect(managed.data?.[0]?.name).toBe("Checkout service");
  });
});

describe("managed: a dashboard with a line tile, then a tile alert on it", () => {
  it("creates both and hands back the payloads", async () => {
    const dashboard = await cloud.POST("/dashboards", { body: { name: "Checkout service", tiles: [line] } });
    expectValid(dashboard.response, "cloud", "POST /dashboards");
    const tileId = dashboard.data!.tiles[0]!.id;
    const alert = await cloud.POST("/alerts", {
      body: {
        source: "tile",
        dashboardId: dashboard.data!.id,
        tileId,
        threshold: 100,
        thresholdType: "above",
        interval: "5m",
        channel: { type: "email", emailRecipients: ["oncall@acme.io"] },
      },
    });
    expectValid(alert.response, "cloud", "POST /alerts");
    expect(alert.data).toMatchObject({ source: "tile", state: "OK" });
    expect(alert.data).not.toHaveProperty("requestId");
  });

  it("returns null for a delete, whose envelope has no result", async () => {
    const { data, response } = await cloud.DELETE("/dashboards/{dashboardId}", { params: { path: { dashboardId: "65f5e4a3b9e77c001a567890" } } });
    expectValid(response, "cloud", "DELETE /dashboards/{dashboardId}");
    expect(data).toBeNull();
  });
});

describe("open source: the same flow, and alert pagination", () => {
  it("creates a dashboard and a tile alert", async () => {
    const dashboard = await oss.POST("/api/v2/dashboards", { body: { name: "Checkout service", tiles: [line] } });
    expectValid(dashboard.response, "oss", "POST /api/v2/dashboards");
    const alert = await oss.POST("/api/v2/alerts", {
      body: {
        source: "tile",
        dashboardId: dashboard.data!.id,
        tileId: dashboard.data!.tiles[0]!.id,
        threshold: 10,
        thresholdMax: 50,
        thresholdType: "between",
        interval: "15m",
        channel: { type: "webhook", webhookId: "65f5e4a3b9e77c001a789012" },
      },
    });
    expectValid(alert.response, "oss", "POST /api/v2/alerts");
    expect(alert.data?.id).toBe("65f5e4a3b9e77c001a777777");
  });

  it("walks every alert with limit/offset", async () => {
    const names: string[] = [];
    for await (const alert of oss.paginate("/api/v2/alerts", { params: { query: { limit: 100 } } })) names.push(alert.name ?? "");
    expect(names).toEqual(["Checkout errors"]);
  });
});

describe("the specs refuse what the APIs refuse", () => {
  it("a tile alert without tileId is rejected (managed and open source)", async () => {
    const body = { source: "tile", dashboardId: "65f5e4a3b9e77c001a567890", threshold: 1, thresholdType: "above", interval: "5m", channel: { type: "webhook", webhookId: "65f5e4a3b9e77c001a789012" } };
    const managed = await cloud.POST("/alerts", { body: body as never });
    expect(managed.error).toBeInstanceOf(ApiError);
    expect(managed.response.headers.get("sl-violations")).toContain("must have required property 'tileId'");
    const open = await oss.POST("/api/v2/alerts", { body: body as never });
    expect(open.response.headers.get("sl-violations")).toContain("must have required property 'tileId'");
  });

  it("a between alert without thresholdMax is rejected", async () => {
    const { response } = await oss.POST("/api/v2/alerts", {
      body: { source: "saved_search", savedSearchId: "65f5e4a3b9e77c001a111111", threshold: 1, thresholdType: "between", interval: "5m", channel: { type: "webhook", webhookId: "65f5e4a3b9e77c001a789012" } } as never,
    });
    expect(response.headers.get("sl-violations")).toContain("must have required property 'thresholdMax'");
  });

  it("a line tile without select is rejected", async () => {
    const { response } = await oss.POST("/api/v2/dashboards", {
      body: { name: "d", tiles: [{ ...line, config: { displayType: "line", sourceId: "65f5e4a3b9e77c001a123456" } }] } as never,
    });
    expect(response.headers.get("sl-violations")).toContain("must have required property 'select'");
  });
});

describe("coverage", () => {
  it("called every operation of both specs", () => {
    expect([...called.cloud].sort()).toEqual(Object.keys(cloudMetadata.operations).sort());
    expect([...called.oss].sort()).toEqual(Object.keys(ossMetadata.operations).sort());
  });
});
