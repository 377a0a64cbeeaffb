/**
 * Loaded into the Prism process before Prism itself (`node --require <this> prism mock …`), to cut
 * its start-up by about half and what each request costs it (`pnpm bench:mock` measures each change). Plain CommonJS, not compiled:
 * it runs as it is, whether @o11ykit/mock runs from `dist` or, in its own tests, from `src`. Each
 * change answers one require from one Prism file with an equivalent that does less work; anything
 * else loads as usual, and so do those requires if what they expect is missing. What Prism serves is
 * unchanged.
 *
 * 1. Faker. Prism's schema-data generator (`@stoplight/prism-http/dist/mocker/generator/
 *    JSONSchema.js`) requires the root of `@faker-js/faker`, which loads every one of faker's 60-odd
 *    locales, twice (Prism's dependency tree holds two `prism-http`s, each with its own faker): a
 *    sixth of Prism's start on the Flashduty spec, a third on the smaller ones. Prism only reads the
 *    default `faker` instance from it (English), which `@faker-js/faker/locale/en` exports alone, so
 *    that require is answered with the English entry point's `faker`. test/prism.test.ts checks that
 *    dynamic mode still fills `x-faker` fields.
 *
 * 2. decycle. Prism reads a spec twice, for its operations (`@stoplight/prism-http/dist/utils/
 *    operations.js`) and for its `x-json-schema-faker` options (`@stoplight/prism-cli/dist/
 *    extensions.js`), each time dereferencing it and passing the result through `@stoplight/json`'s
 *    `decycle`, which copies the document and replaces each reference to an ancestor (a cycle) by a
 *    `$ref` to it. That decycle builds the JSON pointer of every object it passes, in case it is met
 *    again below itself, and a shared schema is copied wherever it is used: for the Flashduty spec
 *    that is a 6.7 MB tree, twice, and two fifths of the start that the first change leaves. The
 *    decycle in prism-decycle.cjs builds a pointer only when it meets a cycle and returns the same
 *    document; test/prism-decycle.test.ts compares the two on every bundled spec and on cyclic ones.
 *
 * 3. router. Prism's router (`@stoplight/prism-http/dist/router/index.js`) weighs every operation of
 *    the spec against each request: half of what a request costs Prism on the Flashduty spec, and
 *    more as a spec grows. The router `@stoplight/prism-http/dist/index.js` requires is answered with
 *    one that first sets aside the operations whose path cannot match, then routes as Prism does
 *    (prism-router.cjs says why the result is the same; test/prism-router.test.ts compares them).
 */
"use strict";
const Module = require("node:module");
const { decycle } = require("./prism-decycle.cjs");
const { narrowed } = require("./prism-router.cjs");

const load = Module._load;
// Changes to leave out ("faker", "decycle", "router", comma-separated): for bench:mock, which times
// Prism with each of them and without.
const skipped = new Set((process.env.O11YKIT_PRISM_PRELOAD_SKIP ?? "").split(","));
const GENERATOR = /[\\/]@stoplight[\\/]prism-http[\\/]dist[\\/]mocker[\\/]generator[\\/]JSONSchema\.js$/;
// Where Prism decycles a whole spec: reading its operations, and reading its `x-json-schema-faker`.
const DECYCLES_SPEC = /[\\/]@stoplight[\\/](prism-http[\\/]dist[\\/]utils[\\/]operations|prism-cli[\\/]dist[\\/]extensions)\.js$/;
// The file that hands Prism its router.
const ROUTES = /[\\/]@stoplight[\\/]prism-http[\\/]dist[\\/]index\.js$/;

Module._load = function (request, parent, ...rest) {
  if (request === "@stoplight/json" && !skipped.has("decycle") && parent && parent.filename && DECYCLES_SPEC.test(parent.filename)) {
    const json = load.call(this, request, parent, ...rest);
    if (typeof json.decycle !== "function" || typeof json.isPlainObject !== "function" || typeof json.pathToPointer !== "function") return json;
    return Object.assign(Object.create(json), { decycle: (value, replacer) => decycle(value, replacer, json) });
  }
  if (request === "./router" && !skipped.has("router") && parent && parent.filename && ROUTES.test(parent.filename)) {
    const router = load.call(this, request, parent, ...rest);
    if (typeof router.default !== "function") return router;
    return Object.assign(Object.create(router), { default: narrowed(router.default) });
  }
  if (request === "@faker-js/faker" && !skipped.has("faker") && parent && parent.filename && GENERATOR.test(parent.filename)) {
    let english;
    try {
      english = load.call(this, "@faker-js/faker/locale/en", parent, ...rest);
    } catch {
      // A faker without that entry point: load the whole package, as Prism asks.
    }
    if (english) {
      // faker 8 and later export `{ faker }` there, faker 6 and 7 the instance itself; Prism reads
      // `faker` (prism-http 5.16) or `default` (5.12). Anything else it might read loads the package.
      const faker = english.faker ?? english;
      const full = () => load.call(this, request, parent, ...rest);
      return new Proxy({ faker, default: faker }, { get: (known, name) => (name in known ? known[name] : full()[name]) });
    }
  }
  return load.call(this, request, parent, ...rest);
};
