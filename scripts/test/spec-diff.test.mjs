// The classification rules, each on a small fixture spec.
import { describe, expect, it } from "vitest";
import { bumpCovers, classifySpecChanges, requiredBump } from "../lib/spec-diff.mjs";

const base = () => ({
  openapi: "3.1.0",
  info: { title: "Fixture", version: "1.0.0" },
  paths: {
    "/things": {
      post: {
        operationId: "createThing",
        summary: "Create a thing",
        requestBody: {
          content: {
            "application/json": {
              schema: { type: "object", required: ["name"], properties: { name: { type: "string" }, color: { type: "string", enum: ["red", "blue"] } } },
              example: { name: "a" },
            },
          },
        },
        responses: {
          200: {
            description: "The thing",
            content: { "application/json": { schema: { type: "object", properties: { id: { type: "integer" }, name: { type: "string" } } } } },
          },
        },
      },
    },
    "/old": { get: { operationId: "old", summary: "Old", responses: { 200: { description: "ok" } } } },
  },
});

function change(edit) {
  const before = base();
  const after = base();
  edit(after);
  return classifySpecChanges(before, after);
}
const request = (s) => s.paths["/things"].post.requestBody.content["application/json"];
const response = (s) => s.paths["/things"].post.responses[200].content["application/json"].schema;
const classes = (changes) => [...new Set(changes.map((c) => c.class))];

describe("breaking", () => {
  it("an operation removed", () => {
    const changes = change((s) => delete s.paths["/old"]);
    expect(changes).toEqual([expect.objectContaining({ class: "breaking", operation: "GET /old" })]);
  });
  it("a required field added to a request", () => {
    expect(classes(change((s) => request(s).schema.required.push("color")))).toEqual(["breaking"]);
  });
  it("an enum value removed from a request", () => {
    expect(classes(change((s) => (request(s).schema.properties.color.enum = ["red"])))).toEqual(["breaking"]);
  });
  it("a response field removed", () => {
    expect(change((s) => delete response(s).properties.name)).toEqual([expect.objectContaining({ class: "breaking", operation: "POST /things" })]);
  });
  it("a response field's type changed", () => {
    expect(classes(change((s) => (response(s).properties.id.type = "string")))).toEqual(["breaking"]);
  });
});

describe("feature", () => {
  it("a new operation", () => {
    expect(change((s) => (s.paths["/new"] = { get: { operationId: "new", responses: { 200: { description: "ok" } } } }))).toEqual([
      expect.objectContaining({ class: "feature", operation: "GET /new" }),
    ]);
  });
  it("a new optional request field", () => {
    expect(classes(change((s) => (request(s).schema.properties.size = { type: "integer" })))).toEqual(["feature"]);
  });
  it("a new response field", () => {
    expect(classes(change((s) => (response(s).properties.createdAt = { type: "string" })))).toEqual(["feature"]);
  });
});

describe("fix", () => {
  it("descriptions, examples and summaries", () => {
    const changes = change((s) => {
      s.paths["/things"].post.summary = "Create one thing";
      s.paths["/things"].post.description = "Now described";
      request(s).example = { name: "b" };
    });
    expect(changes.length).toBeGreaterThan(0);
    expect(classes(changes)).toEqual(["fix"]);
  });
});

describe("bumps", () => {
  const breaking = [{ class: "breaking" }];
  const feature = [{ class: "feature" }];
  const fix = [{ class: "fix" }];
  it("from 1.0: breaking → major, feature → minor, fix → patch", () => {
    expect([breaking, feature, fix, []].map((c) => requiredBump(c, "1.2.0"))).toEqual(["major", "minor", "patch", "none"]);
  });
  it("below 1.0 every bump moves down one place", () => {
    expect([breaking, feature, fix].map((c) => requiredBump(c, "0.1.0"))).toEqual(["minor", "patch", "patch"]);
  });
  it("a declared bump covers an equal or lower requirement", () => {
    expect(bumpCovers("minor", "patch")).toBe(true);
    expect(bumpCovers("patch", "minor")).toBe(false);
    expect(bumpCovers(undefined, "patch")).toBe(false);
    expect(bumpCovers(undefined, "none")).toBe(true);
  });
});
