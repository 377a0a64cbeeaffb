import { describe, expect, it } from "vitest";
import { apiKeyQueryAuth, authFor, requireSecret } from "../src/auth.js";
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

function run(auth: ReturnType<typeof authFor>, url = "https://h/x?a=1") {
  const headers = new Headers({ "content-type": "application/json" });
  const out = auth.apply(url, headers);
  return { url: out, headers };
}

describe("authFor", () => {
  it("puts an API key in the query, keeping the query's other parameters", () => {
    const auth = authFor({ scheme: "k", type: "apiKey", in: "query", name: "app_key" }, "secret");
    const request = run(auth);
    expect(new URL(request.url).searchParams.get("app_key")).toBe("secret");
    expect(new URL(request.url).searchParams.get("a")).toBe("1");
    expect(auth.queryParams).toEqual(["app_key"]);
    // A key already in the URL (a redirect that kept it) is replaced, not repeated.
    expect(new URL(run(auth, "https://h/x?app_key=old").url).searchParams.getAll("app_key")).toEqual(["secret"]);
  });
  it("sends bearer tokens and basic credentials as Authorization", () => {
    const bearer = run(authFor({ scheme: "b", type: "http", httpScheme: "bearer" }, "tok"));
    expect(bearer.headers.get("authorization")).toBe("Bearer tok");
    const basic = authFor({ scheme: "b", type: "http", httpScheme: "basic" }, { username: "id", password: "pässword" });
    expect(run(basic).headers.get("authorization")).toBe(`Basic ${Buffer.from("id:pässword").toString("base64")}`);
    expect(basic.secrets).toContain("pässword");
  });
  it("is also available as openapi-fetch middleware for plain openapi-fetch clients", async () => {
    const request = new Request("https://h/x?a=1", { method: "POST", body: "{}" });
    const out = (await apiKeyQueryAuth("app_key", "secret").onRequest!({ request, schemaPath: "/x", params: {}, id: "1", options: {} as never })) as Request;
    expect(new URL(out.url).searchParams.get("app_key")).toBe("secret");
    expect(await out.text()).toBe("{}");
  });
});
