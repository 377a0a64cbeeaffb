/**
 * A faster equivalent of `@stoplight/json`'s `decycle`, which Prism runs over every spec it loads (see
 * prism-preload.cjs, which hands it to Prism). Plain CommonJS, loaded into the Prism process as it is.
 */
"use strict";

/**
 * `@stoplight/json`'s decycle, building a pointer only for a cycle: `value` copied, each plain object
 * or array met again inside itself replaced by `{ $ref: <pointer to where it was first entered> }`
 * (after `replacer`, when given, has mapped each value, as there). `json` gives that module's own
 * isPlainObject and pathToPointer, so objects and pointers are recognised and written as it does.
 */
function decycle(value, replacer, json) {
  const path = [];
  const depthOf = new Map(); // the objects being copied (the current ancestors), by their depth
  const copy = (node) => {
    if (replacer) node = replacer(node);
    if (!json.isPlainObject(node) && !Array.isArray(node)) return node;
    const depth = depthOf.get(node);
    if (depth !== undefined) return { $ref: json.pathToPointer(path.slice(0, depth)) };
    depthOf.set(node, path.length);
    let result;
    if (Array.isArray(node)) {
      // map, as there: a hole in a sparse array stays a hole.
      result = node.map((item, index) => {
        path.push(String(index));
        const copied = copy(item);
        path.pop();
        return copied;
      });
    } else {
      result = {};
      for (const key of Object.keys(node)) {
        path.push(key);
        result[key] = copy(node[key]);
        path.pop();
      }
    }
    depthOf.delete(node);
    return result;
  };
  return copy(value);
}

module.exports = { decycle };
