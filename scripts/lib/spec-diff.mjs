// Classifies the changes between two bundled specs as breaking, feature or fix, using api-smart-diff
// for the comparison and o11ykit's rules on top of it: api-smart-diff treats removing (or retyping) an
// optional response field as non-breaking, but a client whose code reads that field breaks, so both
// count as breaking here.
import { apiDiff } from "api-smart-diff";

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

function operationOf(path) {
  if (path[0] !== "paths" || path.length < 3 || !METHODS.has(path[2])) return undefined;
  return `${String(path[2]).toUpperCase()} ${path[1]}`;
}

function isResponseFieldRemovedOrRetyped(diff) {
  const path = diff.path.map(String);
  const inResponse = path.includes("responses");
  if (!inResponse) return false;
  const removedProperty = diff.action === "remove" && path[path.length - 2] === "properties";
  const retyped = diff.action === "replace" && path[path.length - 1] === "type";
  return removedProperty || retyped;
}

const capitalized = (word) => word.charAt(0).toUpperCase() + word.slice(1);

function describe(diff) {
  const text = diff.description ?? "";
  // api-smart-diff describes the second use of a changed shared schema as "annotation (…)"; say what changed instead.
  if (!text || /^\[\w+\] annotation \(/.test(text)) {
    const where = diff.path.map(String).includes("requestBody") ? "the request body" : diff.path.map(String).includes("responses") ? "a response" : "the spec";
    return `${capitalized(diff.action)} ${diff.path.slice(-2).join(".")} in ${where}`;
  }
  return text.replace(/^\[(\w+)\] /, "$1 ");
}

/** @returns {{class: "breaking" | "feature" | "fix", operation?: string, description: string}[]} */
export function classifySpecChanges(before, after) {
  const result = apiDiff(before, after);
  const diffs = Array.isArray(result) ? result : result.diffs;
  return (
    diffs
      // Shared schemas are reported again under every operation that uses them; report them there only.
      .filter((diff) => !(diff.path[0] === "components" && diff.path[1] === "schemas"))
      .map((diff) => {
        let kind = diff.type === "breaking" ? "breaking" : diff.type === "non-breaking" ? "feature" : "fix";
        if (isResponseFieldRemovedOrRetyped(diff)) kind = "breaking";
        return { class: kind, operation: operationOf(diff.path), description: describe(diff), path: diff.path.join(".") };
      })
  );
}

const ORDER = { none: 0, patch: 1, minor: 2, major: 3 };

/**
 * The bump a set of changes needs. From 1.0 on: breaking → major, feature → minor, fix → patch.
 * Below 1.0 every bump moves down one place (breaking → minor, feature and fix → patch): `^0.x.y`
 * ranges take patches only, so a breaking change must be a minor to reach nobody unasked.
 */
export function requiredBump(changes, version) {
  const worst = changes.some((c) => c.class === "breaking") ? "breaking" : changes.some((c) => c.class === "feature") ? "feature" : changes.length ? "fix" : "none";
  const stable = Number(String(version).split(".")[0]) >= 1;
  const table = stable ? { breaking: "major", feature: "minor", fix: "patch", none: "none" } : { breaking: "minor", feature: "patch", fix: "patch", none: "none" };
  return table[worst];
}

export function bumpCovers(declared, required) {
  return ORDER[declared ?? "none"] >= ORDER[required];
}
