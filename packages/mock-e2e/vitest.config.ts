import { defineConfig } from "vitest/config";

// End-to-end tests with real mock servers: on a loaded 2-core CI machine (the registry round trip runs
// beside them) vitest's 5 s default is too tight for a test that legitimately takes a second.
// Two test files at a time: the suite is mostly Prism starting and tsc checking (CPU), and in `npm test`
// it ends the lane that ends last, when a core is often free. Every file's startMock() uses the one
// Prism per provider that the shared-Prism setup starts for the run (its own proxy in front, so its
// scenarios and state are its own): 4 Prism starts instead of one per mock, and none under `npm test`,
// whose Prisms the setup keeps (it nests).
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 60_000, maxWorkers: 2, globalSetup: ["@o11ykit/mock/vitest-shared-prism"] } });
