import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { REDACTED, Redactor } from "../src/redact.js";

describe("Redactor", () => {
  const redactor = new Redactor(["s3cr3t/key+1"], ["app_key"]);
  it("redacts secret query parameters whatever their value", () => {
    expect(redactor.url("https://api.example.test/x?app_key=anything&type=a")).toBe(`https://api.example.test/x?app_key=${REDACTED}&type=a`);
  });
  it("redacts the secret wherever it appears, raw or URL-encoded", () => {
    expect(redactor.text("key s3cr3t/key+1 leaked")).toBe(`key ${REDACTED} leaked`);
    expect(redactor.url(`https://h/x?other=${encodeURIComponent("s3cr3t/key+1")}`)).not.toContain("s3cr3t");
  });
  it("redacts URL passwords", () => {
    expect(redactor.url("https://user:pw@h/x")).toBe(`https://user:${REDACTED}@h/x`);
  });
  it("leaves text alone for placeholder secrets too short to be real, but still hides their query parameter", () => {
    const short = new Redactor(["s"], ["app_key"]);
    expect(short.text("Dashboard not found")).toBe("Dashboard not found");
    expect(short.url("https://h/x?app_key=s")).toBe(`https://h/x?app_key=${REDACTED}`);
  });
  it("does not print its secrets when inspected", () => {
    expect(inspect(redactor)).not.toContain("s3cr3t");
  });
});
