import { describe, expect, it } from "vitest";
import { authFor, requireSecret } from "../src/auth.js";
import { ConfigError } from "../src/errors.js";

const where = { factory: "createXClient", option: "apiKey", hint: "Get one in the console." };

describe("requireSecret", () => {
  it("names the option and the fix, never the value", () => {
    expect(() => requireSecret(undefined, where)).toThrow(new ConfigError("createXClient: option `apiKey` is missing. Get one in the console."));
    expect(() => requireSecret("", where)).toThrow(/option `apiKey` is empty \(is the environment variable set\?\)/);
    expect(() => requireSecret(42, where)).toThrow(/must be a string, got number/);
    expect(() => requireSecret(" key-with-space\n", where)).toThrow(/whitespace/);
    try {
      requireSecret(" key-with-space\n", where);
    } catch (error) {
      expect(String(error)).not.toContain("key-with-space");
    }
    expect(requireSecret("k", where)).toBe("k");
  });
});

async function run(middleware: ReturnType<typeof authFor>["middleware"], url = "https://h/x?a=1") {
  const request = new Request(url, { method: "POST", body: "{}" });
  const out = await middleware.onRequest!({ request, schemaPath: "/x", params: {}, id: "1", options: {} as never });
  return out as Request;
}

describe("authFor", () => {
  it("puts an API key in the query", async () => {
    const auth = authFor({ scheme: "k", type: "apiKey", in: "query", name: "app_key" }, "secret");
    const request = await run(auth.middleware);
    expect(new URL(request.url).searchParams.get("app_key")).toBe("secret");
    expect(new URL(request.url).searchParams.get("a")).toBe("1");
    expect(await request.text()).toBe("{}");
    expect(auth.queryParams).toEqual(["app_key"]);
  });
  it("sends bearer tokens and basic credentials as Authorization", async () => {
    const bearer = await run(authFor({ scheme: "b", type: "http", httpScheme: "bearer" }, "tok").middleware);
    expect(bearer.headers.get("authorization")).toBe("Bearer tok");
    const basic = authFor({ scheme: "b", type: "http", httpScheme: "basic" }, { username: "id", password: "pässword" });
    expect((await run(basic.middleware)).headers.get("authorization")).toBe(`Basic ${Buffer.from("id:pässword").toString("base64")}`);
    expect(basic.secrets).toContain("pässword");
  });
});
