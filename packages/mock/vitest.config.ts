import { defineConfig } from "vitest/config";

// Two test files at a time: much of this suite is Prism starting (seconds of CPU each), and in
// `npm test` it shares a lane with mock-e2e, the lane that ends last; two workers let it use a core
// that another lane leaves idle.
//
// Global setups, in order (their teardowns run in reverse):
// 1. the shared-Prism setup that users get as `@o11ykit/mock/vitest-shared-prism`: one Prism per
//    provider for the run, which every `startMock()` of these files (and of the CLI processes they
//    start) puts its front proxy in front of, instead of starting a Prism per mock. The tests of the
//    paths that do start their own Prism (`dynamic`, `errors`, proxy mode, a mock or CLI with no shared
//    Prism in its environment, the shared-Prism setup itself) say so where they do it;
// 2. the stateful mock per provider that stateful.test.ts and validation-errors.test.ts share (see
//    test/stateful-mocks.setup.ts for why the two can share them while running side by side).
//
// Every test may take 30 s (vitest's default is 5): in `npm test` this suite shares two cores with two
// other lanes, and work that takes a second alone (dereferencing Flashduty's spec in
// prism-decycle.test.ts, a CLI process starting) has taken over five there.
export default defineConfig({ test: { maxWorkers: 2, testTimeout: 30_000, globalSetup: ["./src/vitest-shared-prism.ts", "./test/stateful-mocks.setup.ts"] } });
