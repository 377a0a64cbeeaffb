import { defineConfig } from "vitest/config";

// `--expose-gc` lets the timeout and abort tests force garbage collection while calls wait: the
// defects they guard against (an abort lost with a collected Request or signal) only show under GC.
export default defineConfig({
  test: {
    execArgv: ["--expose-gc"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
