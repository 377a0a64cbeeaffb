/**
 * Loaded into the Prism process before Prism itself (`node --require <this> prism mock …`), to cut
 * its start-up by about a quarter. (Plain CommonJS, not compiled: it runs as it is, whether
 * @o11ykit/mock runs from `dist` or, in its own tests, from `src`.)
 *
 * Prism's schema-data generator (`@stoplight/prism-http/dist/mocker/generator/JSONSchema.js`)
 * requires the root of `@faker-js/faker`, which loads every one of faker's 60-odd locales, twice
 * (Prism's dependency tree holds two `prism-http`s, each with its own faker): about 1 CPU-second of
 * the 4 to 5 that a Prism start takes. Prism only reads the default `faker` instance from it (English),
 * which `@faker-js/faker/locale/en` exports alone. So that one require, from that one file, is
 * answered with the English entry point's `faker`; anything else loads as usual, and so does this one
 * if that entry point is missing. What Prism generates is unchanged: test/prism.test.ts checks that dynamic
 * mode still fills `x-faker` fields.
 */
"use strict";
const Module = require("node:module");

const load = Module._load;
const GENERATOR = /[\\/]@stoplight[\\/]prism-http[\\/]dist[\\/]mocker[\\/]generator[\\/]JSONSchema\.js$/;

Module._load = function (request, parent, ...rest) {
  if (request === "@faker-js/faker" && parent && parent.filename && GENERATOR.test(parent.filename)) {
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
