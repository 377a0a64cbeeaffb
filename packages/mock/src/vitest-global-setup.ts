/**
 * A vitest global setup that starts mocks once for the whole run and hands their URLs to tests:
 *
 *   // vitest.config.ts
 *   export default defineConfig({ test: { globalSetup: ["@o11ykit/mock/vitest-global-setup"] } });
 *   // a test
 *   const url = inject("o11ykitMocks").flashduty;
 *
 * Which providers: `O11YKIT_MOCKS=flashduty,grafana-cloud` (default: all of them).
 */
import type {} from "vitest";
import { MOCK_PROVIDERS, type MockProvider } from "./providers.js";
import { startMock, type Mock } from "./start-mock.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of each mock started by @o11ykit/mock's global setup. */
    o11ykitMocks: Partial<Record<MockProvider, string>>;
  }
}

interface ProvidingProject {
  provide(key: "o11ykitMocks", value: Partial<Record<MockProvider, string>>): void;
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

export default async function setup(project: ProvidingProject): Promise<() => Promise<void>> {
  const mocks: Mock[] = await Promise.all(providersFromEnv().map((provider) => startMock(provider)));
  project.provide("o11ykitMocks", Object.fromEntries(mocks.map((m) => [m.provider, m.url])));
  return async () => {
    await Promise.all(mocks.map((m) => m.close()));
  };
}
