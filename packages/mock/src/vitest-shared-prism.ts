/**
 * A vitest global setup that starts one Prism per provider for the whole run, so that every
 * `startMock()` in the run's test files (and in processes they start) uses it instead of starting its
 * own: a suite of many files starts each provider's Prism once. Each mock keeps its own scenarios and
 * state (see shared-prism.ts); `dynamic` and `errors` mocks still start their own Prism.
 *
 *   // vitest.config.ts
 *   export default defineConfig({ test: { globalSetup: ["@o11ykit/mock/vitest-shared-prism"] } });
 *
 * Which providers: `O11YKIT_MOCKS=flashduty,grafana-cloud` (default: all of them).
 *
 * It nests: when the environment already names shared Prisms (a script that runs several vitest runs
 * called it first, say), it keeps those, starts only the providers they lack, and its teardown stops
 * only what it started and puts the variable back as it found it. It is a plain function, so such a
 * script can call it too.
 */
import { startPrism, type PrismServer } from "./prism.js";
import { specPath } from "./providers.js";
import { SHARED_PRISMS_ENV, sharedPrism, sharedPrismEntries, sharedPrismsValue } from "./shared-prism.js";
import { providersFromEnv } from "./vitest-global-setup.js";

export default async function setup(): Promise<() => Promise<void>> {
  const outer = process.env[SHARED_PRISMS_ENV];
  const missing = providersFromEnv()
    .map(specPath)
    .filter((spec) => !sharedPrism(spec, {}));
  const started = await Promise.allSettled(missing.map((spec) => startPrism({ spec })));
  const prisms = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const stop = async () => {
    if (outer === undefined) delete process.env[SHARED_PRISMS_ENV];
    else process.env[SHARED_PRISMS_ENV] = outer;
    await Promise.all(prisms.map((prism: PrismServer) => prism.close()));
  };
  const failed = started.find((result) => result.status === "rejected");
  if (failed) {
    await stop();
    throw failed.reason;
  }
  // Set before vitest starts its workers, which inherit this process's environment.
  const own = prisms.map((prism, i) => ({ spec: missing[i]!, url: prism.url, pid: prism.pid }));
  process.env[SHARED_PRISMS_ENV] = sharedPrismsValue([...sharedPrismEntries(), ...own]);
  return stop;
}
