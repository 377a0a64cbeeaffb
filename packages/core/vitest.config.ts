import { defineConfig } from "vitest/config";

// The files share one module graph (`isolate: false`) instead of each importing the core afresh in a
// new process: they are unit tests of 13 small files whose own work is a fraction of a second each, so
// isolation was half the suite's CPU (10.5 → 5 CPU-seconds, 18 → 13 s alone; `npm test` is bound by
// CPU). They can share it because no file keeps state the next one could see: every client gets its own
// LimiterRegistry, fake timers are put back after each test, and listeners added to `process` are
// taken off in `finally`. A new test must keep it so. And a helper module is evaluated once for all the
// files (checked: a counter in a shared helper reads 1 in the second file, same process), so a helper
// registers hooks when a file calls it, as test/fixtures.ts's `serversClosedAfterEach()` does, never at
// its top level, where only the first file to import it would get them.
export default defineConfig({ test: { isolate: false } });
