import { defineConfig } from "vitest/config";

// The three files at once (vitest's default on two cores is one at a time): this suite spends its time
// waiting (on windows, pauses, Redis and worker processes starting), about 20 CPU-seconds in over a
// minute when its files ran one after another, and each file has its own redis-server(s) on free ports
// and its own keys, so the files do not meet.
export default defineConfig({ test: { maxWorkers: 3 } });
