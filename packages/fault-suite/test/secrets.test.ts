/**
 * Secrets echoed back by a server never reach an error surface (defect 8): not `String`, `message`,
 * `stack`, `JSON.stringify`, `util.inspect` with hidden fields, nor anything in the `cause` chain, in
 * any spelling the wire may use.
 */
import { LimiterRegistry } from "@o11ykit/core";
import { createClickStackCloudClient } from "@o11ykit/clickstack";
import { createFlashdutyClient } from "@o11ykit/flashduty";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { hostile, json } from "./hostile.js";

// `~` is left alone by encodeURIComponent but percent-encoded by URLSearchParams (fetch's query).
const key = "fd~Key+with/odd=chars0123";
const spellings = [
  key,
  encodeURIComponent(key),
  new URLSearchParams({ k: key }).toString().slice(2),
  encodeURIComponent(encodeURIComponent(key)),
  encodeURIComponent(key).toLowerCase().replace(/fd~key/i, "fd~Key"),
];

function surfaces(error: unknown): string[] {
  const out: string[] = [String(error), inspect(error, { depth: 20, showHidden: true }), JSON.stringify(error) ?? ""];
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    const e = current as Error;
    out.push(String(e.message), String(e.stack), inspect(e, { depth: 20, showHidden: true }));
    current = e.cause;
  }
  return out;
}

function expectClean(error: unknown) {
  expect(error).toBeTruthy();
  for (const text of surfaces(error)) for (const spelling of spellings) expect(text).not.toContain(spelling);
}

const fd = (baseUrl: string, extra: object = {}) => createFlashdutyClient({ appKey: key, baseUrl, limiters: new LimiterRegistry(), maxRetries: 0, ...extra });

describe("echoed secrets are redacted everywhere", () => {
  it("in the error code, the body's request id and the request-id header", async () => {
    const server = await hostile((hit, res) =>
      json(res, 400, { request_id: `req-${key}`, error: { code: `Bad_${key}`, message: `key ${key} rejected; url was ${hit.url}` } }, { "flashcat-request-id": `hdr-${key}` }),
    );
    const { error } = await fd(server.url).POST("/monit/datasource/info", { body: { id: 1 } });
    expect(error?.code).toContain("[REDACTED]");
    expect(error?.requestId).toContain("[REDACTED]");
    expectClean(error);
  });

  it("in an echoed URL where fetch percent-encoded the key differently from encodeURIComponent", async () => {
    const server = await hostile((hit, res) => json(res, 404, { request_id: "01J", error: { code: "RouteNotFound", message: `no route for http://h${hit.url}` } }));
    const { error } = await fd(server.url).POST("/monit/datasource/info", { body: { id: 1 } });
    expect(error?.providerMessage).toMatch(/app_key=\[REDACTED\]/);
    expectClean(error);
  });

  it("in a plain-text body and in the header the server echoes it in", async () => {
    const server = await hostile((hit, res) => {
      res.writeHead(502, { "content-type": "text/plain", "flashcat-request-id": encodeURIComponent(key) });
      res.end(`upstream said: ${decodeURIComponent(hit.url)}`);
    });
    const { error, response } = await fd(server.url).POST("/monit/datasource/info", { body: { id: 1 } });
    expectClean(error);
    expect(String(response.url)).not.toContain("app_key");
  });

  it("in connection errors and their cause chain", async () => {
    const server = await hostile((_hit, res) => void res.socket?.destroy());
    const error = await fd(server.url).POST("/monit/datasource/info", { body: { id: 1 } }).catch((e: unknown) => e);
    expect((error as Error).name).toBe("ConnectionError");
    expectClean(error);
    const refused = await fd("http://127.0.0.1:9").POST("/monit/datasource/info", { body: { id: 1 } }).catch((e: unknown) => e);
    expectClean(refused);
  });

  it("Basic-auth secrets and their base64 form, on the managed ClickStack client", async () => {
    const secret = "cs-key-secret~0123456789";
    const encoded = btoa(`KEYID:${secret}`);
    const server = await hostile((hit, res) => json(res, 401, { status: 401, error: `bad credentials ${hit.headers.authorization} (${secret})`, requestId: encoded }));
    const cs = createClickStackCloudClient({
      keyId: "KEYID",
      keySecret: secret,
      organizationId: "7c5f0e1a-0b2d-4c1e-9f3a-5d6e7f8a9b0c",
      serviceId: "1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6",
      baseUrl: server.url,
      limiters: new LimiterRegistry(),
    });
    const { error } = await cs.GET("/dashboards");
    for (const text of surfaces(error)) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(encoded);
    }
  });

  it("in inspect output of the client and of its responses", async () => {
    const server = await hostile((_hit, res) => json(res, 200, { request_id: "01J", data: { id: 1 } }));
    const client = fd(server.url);
    const { response } = await client.POST("/monit/datasource/info", { body: { id: 1 } });
    for (const thing of [client, response]) for (const spelling of spellings) expect(inspect(thing, { showHidden: true, depth: 10 })).not.toContain(spelling);
  });
});
