import { defineConfig } from "vitest/config";

// End-to-end tests with real mock servers: on a loaded 2-core CI machine (the registry round trip runs
// beside them) vitest's 5 s default is too tight for a test that legitimately takes a second.
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 60_000 } });
