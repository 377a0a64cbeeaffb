import { defineConfig } from "vitest/config";

// Two test files at a time (vitest's default on two cores is one): the registry round trip alone is
// about a minute, much of it waiting on npm and child processes, and in `npm test` this suite is a lane
// of its own; with one file at a time the other files only start once it is done. Each file works in
// its own temporary folders, so files do not meet. Every test may take 30 s (vitest's default is 5):
// they start Node, npm or tsc processes, which on a two-core machine busy with `npm test`'s other lanes
// take several times what they take alone.
export default defineConfig({ test: { maxWorkers: 2, testTimeout: 30_000 } });
