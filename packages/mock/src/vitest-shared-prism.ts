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
 */
import { startPrism, type PrismServer } from "./prism.js";
import { specPath } from "./providers.js";
import { SHARED_PRISMS_ENV, sharedPrismsValue } from "./shared-prism.js";
import { providersFromEnv } from "./vitest-global-setup.js";

export default async function setup(): Promise<() => Promise<void>> {
  const specs = providersFromEnv().map(specPath);
  const started = await Promise.allSettled(specs.map((spec) => startPrism({ spec })));
  const prisms = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const stop = async () => {
    delete process.env[SHARED_PRISMS_ENV];
    await Promise.all(prisms.map((prism: PrismServer) => prism.close()));
  };
  const failed = started.find((result) => result.status === "rejected");
  if (failed) {
    await stop();
    throw failed.reason;
  }
  // Set before vitest starts its workers, which inherit this process's environment.
  process.env[SHARED_PRISMS_ENV] = sharedPrismsValue(prisms.map((prism, i) => ({ spec: specs[i]!, url: prism.url, pid: prism.pid })));
  return stop;
}
