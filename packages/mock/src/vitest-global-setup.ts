/**
 * A vitest global setup that starts mocks once for the whole run and hands their URLs to tests:
 *
 *   // vitest.config.ts
 *   export default defineConfig({ test: { globalSetup: ["@o11ykit/mock/vitest-global-setup"] } });
 *   // a test
 *   const url = inject("o11ykitMocks").flashduty;
 *
 * Which providers: `O11YKIT_MOCKS=flashduty,grafana-cloud` (default: all of them). Stateful mocks
 * (resources are remembered; reset them between tests with `mockControl(url).reset()`):
 * `O11YKIT_MOCKS_STATEFUL=1`.
 */
import { MOCK_PROVIDERS, type MockProvider } from "./providers.js";
import { startMock, type Mock } from "./start-mock.js";
import type { MockUrls } from "./vitest-context.js";

export type { MockUrls } from "./vitest-context.js";

interface ProvidingProject {
  provide(key: "o11ykitMocks", value: MockUrls): void;
}

export function providersFromEnv(value = process.env["O11YKIT_MOCKS"]): MockProvider[] {
  if (!value) return [...MOCK_PROVIDERS];
  const names = value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const name of names) {
    if (!MOCK_PROVIDERS.includes(name as MockProvider)) {
      throw new Error(`O11YKIT_MOCKS names ${JSON.stringify(name)}; choose from ${MOCK_PROVIDERS.join(", ")}`);
    }
  }
  return names as MockProvider[];
}

export function statefulFromEnv(value = process.env["O11YKIT_MOCKS_STATEFUL"]): boolean {
  if (value === undefined || value === "" || value === "0" || value === "false") return false;
  if (value === "1" || value === "true") return true;
  throw new Error(`O11YKIT_MOCKS_STATEFUL is ${JSON.stringify(value)}; use 1 (stateful mocks) or 0`);
}

export default async function setup(project: ProvidingProject): Promise<() => Promise<void>> {
  const stateful = statefulFromEnv();
  const mocks: Mock[] = await Promise.all(providersFromEnv().map((provider) => startMock(provider, { stateful })));
  project.provide("o11ykitMocks", Object.fromEntries(mocks.map((m) => [m.provider, m.url])));
  return async () => {
    await Promise.all(mocks.map((m) => m.close()));
  };
}
