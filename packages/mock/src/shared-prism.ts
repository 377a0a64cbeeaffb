/**
 * One Prism per provider for a whole test run. Prism takes seconds of CPU to start, and a test suite
 * whose files each call `startMock("flashduty")` would start one per file. The shared-Prism global
 * setup (`@o11ykit/mock/vitest-shared-prism`) starts one per provider before the run and names them in
 * an environment variable, which vitest's workers (and any process they start) inherit; `startMock`
 * then puts its own front proxy in front of the shared Prism instead of starting one. Scenarios and
 * state live in the front proxy, so every mock stays independent of the others; Prism itself keeps no
 * state (it validates requests and answers with the spec's examples).
 */
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

/**
 * The shared Prism serving `spec`, if the run has one and the mock wants Prism's default behaviour
 * (a `dynamic` or `errors` mock needs a Prism started with those flags, so it starts its own). Its
 * `close()` does nothing: the global setup that started it stops it.
 */
export function sharedPrism(spec: string, options: { dynamic?: boolean; errors?: boolean }, env = process.env): PrismServer | undefined {
  const value = env[SHARED_PRISMS_ENV];
  if (!value || options.dynamic || options.errors) return undefined;
  let entries: SharedPrismEntry[];
  try {
    entries = JSON.parse(value) as SharedPrismEntry[];
    if (!Array.isArray(entries)) throw new Error("not an array");
  } catch {
    throw new Error(`${SHARED_PRISMS_ENV} is not what @o11ykit/mock/vitest-shared-prism writes (a JSON array of {spec, url, pid}); unset it to start a Prism per mock`);
  }
  const entry = entries.find((e) => e.spec === spec);
  if (!entry) return undefined;
  return { url: entry.url, port: Number(new URL(entry.url).port), pid: entry.pid, output: () => "", close: async () => {} };
}
