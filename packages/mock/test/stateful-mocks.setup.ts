/**
 * Global setup of this package's tests: one stateful mock per provider, started once for the whole
 * run (in front of the run's shared Prism for that provider, which the shared-Prism setup before this
 * one starts; see vitest.config.ts) and handed to test files as URLs
 * (`inject("statefulMocks")`). Two files use them, and they can run at the same time (maxWorkers: 2):
 *
 * - stateful.test.ts is the only file that changes their state, and it resets every one of them before
 *   each of its tests;
 * - validation-errors.test.ts sends only requests that validation rejects: those are answered before
 *   the mock's state is consulted, so they change no state and depend on none.
 *
 * No file adds scenarios to them (a scenario rule would answer the other file's next request).
 * Files that test starting and stopping a mock start their own mocks.
 */
import { MOCK_PROVIDERS, startMock, type Mock, type MockProvider } from "../src/index.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of each provider's shared stateful mock (empty seed). */
    statefulMocks: Record<MockProvider, string>;
  }
}

interface ProvidingProject {
  provide(key: "statefulMocks", value: Record<MockProvider, string>): void;
}

export default async function setup(project: ProvidingProject): Promise<() => Promise<void>> {
  const started = await Promise.allSettled(MOCK_PROVIDERS.map((provider) => startMock(provider, { stateful: true })));
  const mocks: Mock[] = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failed = started.find((result) => result.status === "rejected");
  if (failed) {
    // A setup that throws hands vitest no teardown: stop the mocks that did start.
    await Promise.all(mocks.map((mock) => mock.close()));
    throw failed.reason;
  }
  project.provide("statefulMocks", Object.fromEntries(mocks.map((mock) => [mock.provider, mock.url])) as Record<MockProvider, string>);
  // Runs at the end of the run whether or not tests failed.
  return async () => {
    await Promise.all(mocks.map((mock) => mock.close()));
  };
}
