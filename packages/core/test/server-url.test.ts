import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/errors.js";
import type { ApiMetadata } from "../src/metadata.js";
import { serverUrlFromOptions } from "../src/server-url.js";

const api: ApiMetadata = {
  name: "example",
  title: "Example API",
  version: "1",
  baseUrlTemplate: "https://api.example.com/orgs/{org}/regions/{region}",
  serverVariables: {
    org: { description: "The org's slug, on the settings page.", pattern: "^[a-z][a-z0-9-]*$" },
    region: {},
  },
  auth: [],
  requestIdHeader: null,
  envelope: null,
  errorCodes: {},
};

describe("serverUrlFromOptions", () => {
  it("fills every variable from the option of the same name, encoded", () => {
    expect(serverUrlFromOptions("createX", api, { org: "acme", region: "eu west" })).toBe("https://api.example.com/orgs/acme/regions/eu%20west");
  });

  it("names the option, the pattern and where to find the value when one does not match", () => {
    const call = () => serverUrlFromOptions("createX", api, { org: "Acme Corp", region: "eu" });
    expect(call).toThrow(ConfigError);
    expect(call).toThrow('createX: option `org` must match ^[a-z][a-z0-9-]*$, got "Acme Corp". The org\'s slug, on the settings page.');
  });

  it("says which option is missing or of the wrong type", () => {
    expect(() => serverUrlFromOptions("createX", api, { region: "eu" })).toThrow("createX: option `org` is missing. The org's slug, on the settings page.");
    expect(() => serverUrlFromOptions("createX", api, { org: "acme", region: 7 })).toThrow("createX: option `region` must be a string, got number.");
  });

  it("does nothing without a templated server", () => {
    expect(serverUrlFromOptions("createX", { ...api, baseUrlTemplate: undefined, serverVariables: undefined }, { org: "-" })).toBeUndefined();
  });
});
