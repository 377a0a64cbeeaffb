/**
 * Prism's router, handed only the operations whose path could match the request.
 *
 * Prism's `route` (`@stoplight/prism-http/dist/router/index.js`) sorts every operation of the spec by
 * a score it recomputes, splitting both paths, at each comparison, then matches the request's path
 * against each operation, splitting and decoding both paths again each time. That is half of the CPU
 * a request costs Prism on the Flashduty spec (350 operations), and it grows with the spec: a contract
 * suite that calls every operation costs O(operations² · log operations).
 *
 * `narrowed(route)` returns a `route` that first drops the operations whose path cannot match, by two
 * tests that Prism's `matchPath` makes too, on paths split and decoded as Prism does: the number of
 * segments, and each segment that is not a template (`{id}`) being equal. It then calls Prism's own
 * `route` with the rest, in their order. Every dropped operation is one `matchPath` reports as
 * NOMATCH, which `route` would have set aside; Prism's sort is stable, so the rest keep the order
 * they would have had; so `route` picks the same operation, or fails with the same error. Two cases
 * go to `route` with every operation, as before: a request naming a server (`__server`), where
 * `route` looks at every operation's servers; and a request no operation could match, where `route`
 * tells "no operations at all" from "no such path" by the list it is given.
 * test/prism-router.test.ts compares the two on every operation of every bundled spec.
 */
"use strict";

const TEMPLATED = /{(.+)}/; // Prism's isTemplated

/** Prism's decodePathFragment. */
function decode(segment) {
  try {
    return segment && decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Prism's fragmentize, for a path that starts with a slash. */
const segmentsOf = (path) => path.split("/").slice(1).map(decode);

/**
 * What an operation's path requires of a request's: its number of segments, and the segments that
 * must be equal, by position. Undefined for a path Prism would reject (it throws on it), which is
 * never dropped, so that Prism still meets it.
 */
const shapes = new Map();
function shapeOf(path) {
  if (shapes.has(path)) return shapes.get(path);
  let shape;
  if (typeof path === "string" && path.startsWith("/")) {
    const segments = segmentsOf(path);
    const fixed = [];
    segments.forEach((segment, at) => TEMPLATED.test(segment) || fixed.push([at, segment]));
    shape = { length: segments.length, fixed };
  }
  shapes.set(path, shape);
  return shape;
}

function couldMatch(operation, requestSegments) {
  const shape = shapeOf(operation && operation.path);
  if (!shape) return true;
  if (shape.length !== requestSegments.length) return false;
  for (const [at, segment] of shape.fixed) if (requestSegments[at] !== segment) return false;
  return true;
}

function narrowed(route) {
  return function narrowedRoute(options) {
    const { resources, input } = options;
    const path = input && input.url && input.url.path;
    if (!Array.isArray(resources) || typeof path !== "string" || !path.startsWith("/") || input.url.baseUrl) return route(options);
    const segments = segmentsOf(path);
    const candidates = resources.filter((operation) => couldMatch(operation, segments));
    return route(candidates.length > 0 ? { ...options, resources: candidates } : options);
  };
}

module.exports = { narrowed };
