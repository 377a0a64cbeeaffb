/**
 * Contract tests: every operation of the Grafana Cloud spec, called through the real client against a
 * Prism mock of the same spec with request validation on (no `sl-violations` allowed).
 */
import { exampleRequests, startPrism, type PrismServer } from "@o11ykit/mock";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { ApiError, createGrafanaCloudClient, operations, type AccessPolicy, type GrafanaCloudClient, type KnownErrorCode } from "../src/index.js";

const specPath = fileURLToPath(new URL("../src/generated/openapi.json", import.meta.url));
let prism: PrismServer;
let gc: GrafanaCloudClient;
const called = new Set<string>();

beforeAll(async () => {
  prism = await startPrism({ spec: specPath, share: true }); // the run's shared Prism for this spec, if `npm test` started one
  gc = createGrafanaCloudClient({ token: "glc_contract_test", baseUrl: prism.url, maxRetries: 0 });
}, 60_000);
afterAll(() => prism?.close());

function expectValid(response: Response, key: string) {
  expect(response.headers.get("sl-violations"), `${key}: Prism found the request invalid`).toBeNull();
  expect(response.ok, `${key}: HTTP ${response.status}`).toBe(true);
  called.add(key);
}

describe("every operation of the spec, with the spec's examples", () => {
  for (const key of Object.keys(operations)) {
    const [method, path] = key.split(" ") as ["GET" | "POST" | "DELETE", string];
    for (const { name, ...init } of exampleRequests(specPath, method, path)) {
    it(`${key} — ${name}`, async () => {
      const { response, error } = await (gc[method] as any)(path, init);
      expect(error).toBeUndefined();
      expectValid(response, key);
    });
    }
  }
});

describe("operation methods", () => {
  it("every operation is a method; a stack is created and read through them", async () => {
    for (const [key, op] of Object.entries(operations)) {
      const [group, name] = op.call.split(".") as [string, string];
      expect(typeof (gc as any)[group]?.[name], `${key} as gc.${op.call}`).toBe("function");
    }
    const created = await gc.stacks.createV1({ body: { name: "Acme Observability", slug: "acmeobs", region: "prod-eu-west-0", org: "" } });
    expectValid(created.response, "POST /v1/stacks");
    const policies = await gc.accessPolicies.list({ params: { query: { region: "eu" } } });
    expectValid(policies.response, "GET /v1/accesspolicies");
    expect(policies.data?.items[0]?.name).toBe("stack-readers");
  });
});

describe("typed calls", () => {
  it("creates an access policy and a token for it, and lists policies across pages", async () => {
    const policy = await gc.POST("/v1/accesspolicies", {
      params: { query: { region: "eu" } },
      body: { name: "ci-readers", displayName: "CI readers", scopes: ["metrics:read", "logs:read"], realms: [{ type: "stack", identifier: "123" }] },
    });
    expectValid(policy.response, "POST /v1/accesspolicies");
    expect(policy.data?.id).toBe("c45485b6-8321-4cf2-bcec-12006df755ff");

    const token = await gc.POST("/v1/tokens", { params: { query: { region: "eu" } }, body: { accessPolicyId: policy.data!.id, name: "ci-reader" } });
    expectValid(token.response, "POST /v1/tokens");
    expect(token.data?.token).toMatch(/^glc_/);

    const names: string[] = [];
    for await (const p of gc.paginate("/v1/accesspolicies", { params: { query: { region: "eu" } } })) {
      expectTypeOf(p).toExtend<AccessPolicy>();
      names.push(p.name);
    }
    expect(names).toEqual(["stack-readers"]);
  });

  it("reads a stack's 0/1 data source flags as numbers", async () => {
    const { data, response } = await gc.GET("/instances/{stack_slug}/datasources", { params: { path: { stack_slug: "mystack" } } });
    expectValid(response, "GET /instances/{stack_slug}/datasources");
    expectTypeOf(data!.items[0]!.basicAuth).toEqualTypeOf<0 | 1 | undefined>();
    expect(data?.items[0]?.basicAuth).toBe(1);
  });

  it("returns nothing for a 204 delete", async () => {
    const { data, response } = await gc.DELETE("/v1/tokens/{token_id}", {
      params: { path: { token_id: "0b2f2c8a-6f3c-4c1f-9a53-7a1e3b0c9d11" }, query: { region: "us" } },
    });
    expect(response.status).toBe(204);
    expect(data).toBeUndefined();
  });
});

describe("errors", () => {
  it("a 409 validation failure is an ApiError whose code tells it from a conflict", async () => {
    const { error } = await gc.POST("/v1/accesspolicies", {
      params: { query: { region: "us" } },
      body: { name: "ok", scopes: ["metrics:read"], realms: [] },
      headers: { Prefer: "code=409, example=invalidArgument" },
    });
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: "InvalidArgument" });
    // The documented codes are part of the type, so editors complete them.
    expectTypeOf(error!.code).toEqualTypeOf<KnownErrorCode | (string & {}) | undefined>();
  });

  it("a bare-string 409 still becomes an ApiError", async () => {
    const { error } = await gc.POST("/instances", { body: { name: "x", slug: "x" }, headers: { Prefer: "code=409, example=bareString" } });
    expect(error).toMatchObject({ status: 409, code: undefined, providerMessage: "a resource with this name already exists" });
  });

  it("Prism rejects an access-policy name the API would refuse", async () => {
    const { error, response } = await gc.POST("/v1/accesspolicies", {
      params: { query: { region: "us" } },
      body: { name: "Not Valid!", scopes: ["metrics:read"], realms: [] },
    });
    expect(response.headers.get("sl-violations")).toContain("name must match pattern");
    expect(error).toBeInstanceOf(ApiError);
  });

  it("a missing token fails at construction, naming the option", () => {
    expect(() => createGrafanaCloudClient({ token: process.env.O11YKIT_UNSET_VARIABLE })).toThrow(/createGrafanaCloudClient: option `token` is missing/);
  });
});

describe("coverage", () => {
  it("called every operation of the spec", () => {
    expect([...called].sort()).toEqual(Object.keys(operations).sort());
  });
});
