#!/usr/bin/env node
// `node run-counting-cpu.mjs <command> [args…]`: runs the command (its stdin, stdout and stderr are this
// process's), then writes on file descriptor 3 the CPU seconds that it and every process under it used,
// and exits as it did. `npm test` starts each suite through it, so that its closing table can say what
// each suite cost in CPU: the lanes run side by side on two cores, so a suite's wall time says as much
// about what ran beside it as about the suite. Counted from Linux's /proc (see proc-cpu.mjs); elsewhere
// nothing is written.
import { spawn } from "node:child_process";
import { writeSync } from "node:fs";
import { childrenCpuSeconds } from "./proc-cpu.mjs";

const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: "inherit" });
// `npm test` stops a suite with SIGINT (on a failure elsewhere); the suite, not this wrapper, must get it.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.once("error", (error) => {
  console.error(`${command}: ${error.message}`);
  process.exit(127);
});
child.once("close", (code, signal) => {
  // The child has been waited for, so its CPU (and its own waited-for children's) is in ours now.
  const cpu = childrenCpuSeconds();
  if (cpu !== undefined) {
    try {
      writeSync(3, `${cpu}\n`);
    } catch {
      // No descriptor 3 (run by hand): the count has nowhere to go.
    }
  }
  process.exit(code ?? (signal ? 1 : 0));
});
