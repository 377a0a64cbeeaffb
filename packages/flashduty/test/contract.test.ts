/**
 * Contract tests: every operation of the Flashduty spec, called through the real client against a
 * Prism mock of the same spec with request validation on. A request Prism finds invalid comes back
 * with an `sl-violations` header, which fails the test.
 */
import { exampleRequests, startPrism, type PrismServer } from "@o11ykit/mock";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { ApiError, createFlashdutyClient, operations, requestIdOf, type DataSource, type FlashdutyClient } from "../src/index.js";

const specPath = fileURLToPath(new URL("../src/generated/openapi.json", import.meta.url));
let prism: PrismServer;
let fd: FlashdutyClient;
const called = new Set<string>();

beforeAll(async () => {
  prism = await startPrism({ spec: specPath, share: true }); // the run's shared Prism for this spec, if `npm test` started one
  fd = createFlashdutyClient({ appKey: "contract-test-key", baseUrl: prism.url, maxRetries: 0 });
}, 60_000);
afterAll(() => prism?.close());

function expectValid(response: Response, key: string) {
  expect(response.headers.get("sl-violations"), `${key}: Prism found the request invalid`).toBeNull();
  expect(response.status, key).toBe(200);
  called.add(key);
}

describe("operation methods", () => {
  it("every operation is a method, grouped by resource, with the path style's behaviour and types", async () => {
    for (const [key, op] of Object.entries(operations)) {
      const [group, name] = op.call.split(".") as [string, string];
      expect(typeof (fd as any)[group]?.[name], `${key} as fd.${op.call}`).toBe("function");
    }
    const list = await fd.dataSources.list({ body: { type: "prometheus" } });
    expectValid(list.response, "POST /monit/datasource/list");
    expectTypeOf(list.data).toExtend<DataSource[] | undefined>();
    expect(list.data?.[0]?.type_ident).toBe("prometheus");

    const incidents = await fd.incidents.list({ body: { start_time: 1767787200, end_time: 1768392000, limit: 20 } });
    expectValid(incidents.response, "POST /incident/list");
    expect(incidents.data?.items?.length).toBeGreaterThan(0);

    // @ts-expect-error — a wrong field is caught as in the path style
    const wrong = await fd.dataSources.get({ body: { data_source_id: 10 } });
    expect(wrong.error).toBeInstanceOf(ApiError);
    // @ts-expect-error — and so is an unknown option
    await expect(fd.dataSources.get({ body: { id: 10 }, timeout: 5 })).rejects.toThrow(/unknown option `timeout` \(did you mean `timeoutMs`\?\)/);
  });

  it("a CSV export comes back as its text, not as a JSON parse error", async () => {
    const { data, error, response } = await fd.analytics.exportInsightIncidents({
      body: { start_time: 1764547200, end_time: 1765152000, severities: ["Critical", "Warning"] },
    });
    expect(error).toBeUndefined();
    expect(response.headers.get("content-type")).toMatch(/text\/csv/);
    expectTypeOf(data).toEqualTypeOf<string | undefined>();
    expect(typeof data).toBe("string");
    expect(data!.split("\n")[0]).toContain(",");
  });

  it("with throwOnError, failures throw and data is typed as present", async () => {
    const strict = createFlashdutyClient({ appKey: "contract-test-key", baseUrl: prism.url, maxRetries: 0, throwOnError: true });
    const { data } = await strict.dataSources.get({ body: { id: 10 } });
    expectTypeOf(data).toExtend<DataSource>();
    expectTypeOf<undefined>().not.toExtend<typeof data>(); // present: no `?.` needed
    expect(data.name).toBeTypeOf("string");
    await expect(strict.dataSources.get({ body: { id: 10 }, headers: { Prefer: "code=401" } })).rejects.toMatchObject({ name: "ApiError", status: 401, code: "Unauthorized" });
  });
});

describe("typed calls", () => {
  it("creates a data source and returns the payload, not the envelope", async () => {
    const { data, error, response } = await fd.POST("/monit/datasource/create", {
      body: {
        type_ident: "prometheus",
        name: "Prometheus Prod",
        address: "http://prometheus.example.com:9090",
        edge_cluster_name: "default",
        payload: { prometheus: { basic_auth_enabled: false } },
      },
    });
    expectValid(response, "POST /monit/datasource/create");
    expect(error).toBeUndefined();
    expectTypeOf(data).toExtend<DataSource | undefined>();
    expectTypeOf<DataSource>().toExtend<NonNullable<typeof data>>();
    expect(data).toMatchObject({ id: 10, type_ident: "prometheus", name: "Prometheus Prod" });
    expect(data).not.toHaveProperty("request_id");
    expect(requestIdOf(response)).toMatch(/^01HK8/);
  });

  it("updates, reads, lists and deletes", async () => {
    const update = await fd.POST("/monit/datasource/update", {
      body: { id: 10, type_ident: "mysql", name: "Orders DB", address: "db.example.com:3306", edge_cluster_name: "default", payload: { mysql: { username: "monitor", open_conns: 5 } } },
    });
    expectValid(update.response, "POST /monit/datasource/update");

    const info = await fd.POST("/monit/datasource/info", { body: { id: 10 } });
    expectValid(info.response, "POST /monit/datasource/info");
    expect(info.data?.payload?.prometheus).toEqual({ basic_auth_enabled: false });

    const list = await fd.POST("/monit/datasource/list", { body: { type: "prometheus" } });
    expectValid(list.response, "POST /monit/datasource/list");
    expectTypeOf(list.data).toExtend<DataSource[] | undefined>();
    expect(list.data?.map((d) => d.type_ident)).toEqual(["prometheus", "mysql"]);

    const del = await fd.POST("/monit/datasource/delete", { body: { id: 10 } });
    expectValid(del.response, "POST /monit/datasource/delete");
    expect(del.data).toBeNull();
  });

  it("lists SLS projects and logstores", async () => {
    const projects = await fd.POST("/monit/datasource/sls/projects", { body: { id: 12, query: "prod", size: 20 } });
    expectValid(projects.response, "POST /monit/datasource/sls/projects");
    expectTypeOf(projects.data).toExtend<string[] | undefined>();
    const logstores = await fd.POST("/monit/datasource/sls/logstores", { body: { id: 12, project: projects.data![0]! } });
    expectValid(logstores.response, "POST /monit/datasource/sls/logstores");
    expect(logstores.data).toEqual(["prod-logs", "prod-audit"]);
  });
});

describe("every request example of every operation", () => {
  for (const key of Object.keys(operations)) {
    const [method, path] = key.split(" ") as ["POST" | "GET", string];
    for (const example of exampleRequests(specPath, method, path)) {
      it(`${key} — ${example.name}`, async () => {
        const { name: _name, ...init } = example;
        const { response, error } = await (fd[method] as any)(path, init);
        expect(error).toBeUndefined();
        expectValid(response, key);
      });
    }
  }
});

describe("errors", () => {
  it("Prism rejects a payload block that does not match type_ident, and the client returns an ApiError", async () => {
    const { error, response } = await fd.POST("/monit/datasource/create", {
      // @ts-expect-error — the types already refuse a mysql block on a prometheus data source
      body: { type_ident: "prometheus", name: "x", address: "http://p:9090", edge_cluster_name: "default", payload: { mysql: {} } },
    });
    expect(response.headers.get("sl-violations")).toContain("must NOT have additional properties; found 'mysql'");
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: "InvalidParameter", operation: { operationId: "createDataSource" } });
  });

  it("a documented error response reaches the caller as a typed ApiError", async () => {
    const { error } = await fd.POST("/monit/datasource/info", { body: { id: 10 }, headers: { Prefer: "code=401" } });
    expectTypeOf(error).toExtend<ApiError | undefined>();
    expect(error).toMatchObject({ status: 401, code: "Unauthorized", requestId: "01HK8XQE3Z7JM2NTFQ5YJ8P9R7" });
    expect(error?.message).toMatch(/getDataSource \(POST \/monit\/datasource\/info\) failed: 401 Unauthorized: invalid app_key/);
  });

  it("a missing app key fails at construction, naming the option", () => {
    expect(() => createFlashdutyClient({ appKey: undefined })).toThrow(/createFlashdutyClient: option `appKey` is missing. Create an app key in the Flashduty console/);
    expect(() => createFlashdutyClient({ appKey: "" })).toThrow(/`appKey` is empty/);
    // @ts-expect-error — misspelt option
    expect(() => createFlashdutyClient({ appkey: "k" })).toThrow(/unknown option `appkey` \(did you mean `appKey`\?\)/);
  });
});

describe("coverage", () => {
  it("called every operation of the spec", () => {
    expect([...called].sort()).toEqual(Object.keys(operations).sort());
  });
});
