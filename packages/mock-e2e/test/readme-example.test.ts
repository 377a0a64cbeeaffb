// The README's "Testing your code" example, verbatim, so that it is known to work.
// datasources.test.ts — copy, paste, run with `npx vitest run`
import { afterAll, beforeAll, expect, it } from "vitest";
import { startMock, type Mock } from "@o11ykit/mock";
import { createFlashdutyClient, ApiError } from "@o11ykit/flashduty";

let mock: Mock;
beforeAll(async () => {
  mock = await startMock("flashduty"); // free loopback port; close() stops everything
});
afterAll(() => mock.close());

// clientOptions(): { baseUrl: mock.url, rateLimits: "off" } — a mock has no limits to wait for
const client = () => createFlashdutyClient({ appKey: "test-key", ...mock.clientOptions() });

it("lists Prometheus data sources", async () => {
  const { data, error } = await client().POST("/monit/datasource/list", { body: { type: "prometheus" } });
  expect(error).toBeUndefined();
  expect(data?.[0]?.type_ident).toBe("prometheus");
});

it("survives a rate limit", async () => {
  await mock.rateLimit({ operation: "POST /monit/datasource/list", retryAfter: 1 }); // next call: 429
  const { data } = await client().POST("/monit/datasource/list", { body: {} });     // the client waits, retries
  expect(data).toHaveLength(2);
});

it("reports a provider error", async () => {
  await mock.providerError({ status: 400, code: "ReferenceExist", message: "used by 3 alert rules" });
  const { error } = await client().POST("/monit/datasource/delete", { body: { id: 10 } });
  expect(error).toBeInstanceOf(ApiError);
  expect(error?.code).toBe("ReferenceExist");
});
