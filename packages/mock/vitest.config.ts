import { defineConfig } from "vitest/config";

// Two test files at a time: most of this suite is Prism starting (seconds of CPU each), and in
// `npm test` it shares a lane with mock-e2e, the lane that ends last; two workers let it use a core
// that another lane leaves idle. Each file starts its own servers on free ports, except the stateful
// mock per provider that the global setup starts once and stateful.test.ts and validation-errors.test.ts
// share (see test/stateful-mocks.setup.ts for why the two can share them while running side by side).
export default defineConfig({ test: { maxWorkers: 2, globalSetup: ["./test/stateful-mocks.setup.ts"] } });
