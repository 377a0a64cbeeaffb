/**
 * One Prism per provider for a whole test run. Prism takes seconds of CPU to start, and a test suite
 * whose files each call `startMock("flashduty")` would start one per file. The shared-Prism global
 * setup (`@o11ykit/mock/vitest-shared-prism`) starts one per provider before the run and names them in
 * an environment variable, which vitest's workers (and any process they start) inherit; `startMock`
 * then puts its own front proxy in front of the shared Prism instead of starting one, and
 * `startPrism({ share: true })` hands out the shared Prism itself. Scenarios and state live in the
 * front proxy, so every mock stays independent of the others; Prism itself keeps no state (it
 * validates requests and answers with the spec's examples).
 */
import fs from "node:fs";
import path from "node:path";
import type { PrismServer } from "./prism.js";

export const SHARED_PRISMS_ENV = "O11YKIT_MOCK_PRISMS";

/** What the global setup writes into SHARED_PRISMS_ENV: one entry per spec it serves. */
export interface SharedPrismEntry {
  /** The spec file's path, as `specPath(provider)` gives it. */
  spec: string;
  url: string;
  pid: number;
}

export function sharedPrismsValue(entries: readonly SharedPrismEntry[]): string {
  return JSON.stringify(entries);
}

/** The Prisms that SHARED_PRISMS_ENV names (none when it is unset). */
export function sharedPrismEntries(env = process.env): SharedPrismEntry[] {
  const value = env[SHARED_PRISMS_ENV];
  if (!value) return [];
  try {
    const entries = JSON.parse(value) as SharedPrismEntry[];
    if (!Array.isArray(entries)) throw new Error("not an array");
    return entries;
  } catch {
    throw new Error(`${SHARED_PRISMS_ENV} is not what @o11ykit/mock/vitest-shared-prism writes (a JSON array of {spec, url, pid}); unset it to start a Prism per mock`);
  }
}

/**
 * Whether two spec files are the same document: the same path, or the same bytes (a provider
 * package's generated spec and the copy this package bundles of it, say).
 */
function sameDocument(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    return fs.statSync(a).size === fs.statSync(b).size && fs.readFileSync(a).equals(fs.readFileSync(b));
  } catch {
    return false; // a file that is gone is no match; starting a Prism for it reports the error
  }
}

/**
 * The shared Prism serving `spec` (or a file with the same content), if the run has one and the
 * caller wants Prism's default behaviour: a `dynamic` or `errors` mock, or a proxy to an upstream,
 * needs a Prism started with those flags, so it starts its own. Its `close()` does nothing: the
 * setup that started it stops it.
 */
export function sharedPrism(spec: string, options: { dynamic?: boolean; errors?: boolean; upstream?: string }, env = process.env): PrismServer | undefined {
  const entries = sharedPrismEntries(env);
  if (!entries.length || options.dynamic || options.errors || options.upstream) return undefined;
  const entry = entries.find((e) => sameDocument(e.spec, spec));
  if (!entry) return undefined;
  return { url: entry.url, port: Number(new URL(entry.url).port), pid: entry.pid, output: () => "", close: async () => {} };
}
