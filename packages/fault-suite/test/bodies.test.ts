/**
 * Bodies: bounded whatever the server sends (defect 5), parsed once, and a broken success is an
 * ApiError that says what arrived, never `{data: undefined}` or a raw SyntaxError (defect 9).
 */
import { ApiError, LimiterRegistry, ResponseTooLargeError } from "@o11ykit/core";
import { createFlashdutyClient } from "@o11ykit/flashduty";
import { createGrafanaCloudClient } from "@o11ykit/grafana-cloud";
import { describe, expect, it } from "vitest";
import { fdOk, hostile, json } from "./hostile.js";

const key = "fd-app-key-0123456789";
const fd = (baseUrl: string, extra: object = {}) => createFlashdutyClient({ appKey: key, baseUrl, limiters: new LimiterRegistry(), maxRetries: 0, ...extra });
const gc = (baseUrl: string, extra: object = {}) => createGrafanaCloudClient({ token: "glc_fault_suite_token_0123", baseUrl, limiters: new LimiterRegistry(), maxRetries: 0, ...extra });
const gcGet = (client: ReturnType<typeof gc>) => client.GET("/instances/{stack_slug}", { params: { path: { stack_slug: "acme" } } });

/** Streams `megabytes` of JSON-ish filler in 64 kB chunks, without a Content-Length. */
async function streamFiller(res: import("node:http").ServerResponse, status: number, megabytes: number) {
  res.writeHead(status, { "content-type": "application/json" });
  const chunk = Buffer.alloc(64 * 1024, "a");
  res.write('{"request_id":"01J","data":"');
  for (let sent = 0; sent < megabytes * 16 && !res.destroyed; sent++) {
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off("drain", done).off("close", done);
          resolve();
        };
        res.on("drain", done).on("close", done);
      });
    }
  }
  res.end('"}');
}

describe("the response size cap", () => {
  it("a 50 MB streamed body stops at the cap, with a clear error and bounded memory", async () => {
    const server = await hostile((_hit, res) => streamFiller(res, 200, 50));
    (globalThis as { gc?: () => void }).gc?.();
    const before = process.memoryUsage().rss;
    const error = await fd(server.url, { maxResponseBytes: 1024 * 1024 }).POST("/monit/datasource/info", { body: { id: 1 } }).catch((e: unknown) => e);
    const grown = process.memoryUsage().rss - before;
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as Error).message).toMatch(/larger than the 1048576-byte limit; raise `maxResponseBytes`/);
    expect(grown).toBeLessThan(40 * 1024 * 1024);
  });

  it("a Content-Length over the cap fails before reading", async () => {
    const server = await hostile((_hit, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(200 * 1024 * 1024) });
      res.write("{"); // then hangs: the client must not wait for the rest
    });
    const error = await fd(server.url, { maxResponseBytes: 1024 * 1024, timeoutMs: 5_000 }).POST("/monit/datasource/info", { body: { id: 1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as Error).message).toContain("Content-Length: 209715200");
  });

  it("the default cap holds a 50 MB body too, and a per-call cap overrides the client's", async () => {
    const server = await hostile((_hit, res) => streamFiller(res, 200, 50));
    const error = await fd(server.url).POST("/monit/datasource/info", { body: { id: 1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).limitBytes).toBe(32 * 1024 * 1024);
    const small = await hostile((_hit, res) => json(res, 200, fdOk({ id: 1, name: "x".repeat(2_000) })));
    const capped = await fd(small.url).POST("/monit/datasource/info", { body: { id: 1 }, maxResponseBytes: 1_000 }).catch((e: unknown) => e);
    expect(capped).toBeInstanceOf(ResponseTooLargeError);
  });

  it("an error keeps a bounded part of a huge error body", async () => {
    const server = await hostile((_hit, res) => {
      res.writeHead(500, { "content-type": "text/html" });
      res.end(`<html>${"oops ".repeat(400_000)}</html>`);
    });
    const { error } = await fd(server.url).POST("/monit/datasource/create", { body: { type_ident: "loki", name: "l", address: "http://loki:3100", edge_cluster_name: "default", payload: { loki: {} } } as never });
    expect(error).toBeInstanceOf(ApiError);
    expect(typeof error?.body).toBe("string");
    expect((error?.body as string).length).toBeLessThan(17_000);
    expect(error?.body as string).toMatch(/more characters\]$/);
    expect(error!.message.length).toBeLessThan(1_000);
  });
});

describe("broken successes are errors that say what arrived", () => {
  it("an empty 200 where the spec requires data", async () => {
    const server = await hostile((_hit, res) => void res.writeHead(200, { "content-type": "application/json" }).end());
    const { data, error } = await fd(server.url).POST("/monit/datasource/info", { body: { id: 1 } });
    expect(data).toBeUndefined();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 502, httpStatus: 200, code: "InvalidResponse" });
    expect(error?.providerMessage).toBe("the HTTP 200 answer has an empty body, but getDataSource returns data");
  });

  it("a non-JSON 200 on the Grafana client", async () => {
    const server = await hostile((_hit, res) => void res.writeHead(200, { "content-type": "text/html" }).end("<html><body>Service temporarily unavailable</body></html>"));
    const { error } = await gcGet(gc(server.url));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 502, httpStatus: 200, code: "InvalidResponse" });
    expect(error?.providerMessage).toMatch(/^the HTTP 200 answer is not JSON \(text\/html: "<html><body>Service temporarily unavailable/);
  });

  it("malformed JSON, and JSON that is not the envelope", async () => {
    const truncated = await hostile((_hit, res) => void res.writeHead(200, { "content-type": "application/json" }).end('{"request_id":"01J","data":{"id":'));
    expect((await fd(truncated.url).POST("/monit/datasource/info", { body: { id: 1 } })).error).toMatchObject({ code: "InvalidResponse" });
    const bare = await hostile((_hit, res) => json(res, 200, [1, 2, 3]));
    const { error } = await fd(bare.url).POST("/monit/datasource/info", { body: { id: 1 } });
    expect(error?.providerMessage).toMatch(/is not the Flashduty API envelope/);
  });

  it("a success that carries error code OK is a success", async () => {
    const server = await hostile((_hit, res) => json(res, 200, { request_id: "01J", data: { id: 7 }, error: { code: "OK", message: "" } }));
    const { data, error } = await fd(server.url).POST("/monit/datasource/info", { body: { id: 7 } });
    expect(error).toBeUndefined();
    expect(data).toMatchObject({ id: 7 });
  });

  it("an error in a 200 body takes its code's status and is retried when that status is", async () => {
    const server = await hostile((_hit, res, i) =>
      i === 0 ? json(res, 200, { request_id: "01J", error: { code: "RequestTooFrequently", message: "slow" } }, { "retry-after": "0" }) : json(res, 200, fdOk({ id: 1 })),
    );
    const { data } = await fd(server.url, { maxRetries: 1 }).POST("/monit/datasource/info", { body: { id: 1 } });
    expect(data).toMatchObject({ id: 1 });
    expect(server.hits).toHaveLength(2);
  });
});
