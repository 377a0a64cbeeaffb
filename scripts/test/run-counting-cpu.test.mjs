// harness/run-counting-cpu.mjs, which `npm test` starts each suite through: it must pass on the suite's exit
// status and a stop signal, and report the CPU the suite's processes used (children's children too).
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const wrapper = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../harness/run-counting-cpu.mjs");
const onLinux = process.platform === "linux";

/**
 * Runs `node -e <code>` through the wrapper; resolves with its exit code, its stdout and what it wrote
 * on fd 3. With `interruptWhen`, sends the wrapper SIGINT once the command has printed that text.
 */
function runWrapped(code, { interruptWhen } = {}) {
  const child = spawn(process.execPath, [wrapper, process.execPath, "-e", code], { stdio: ["ignore", "pipe", "inherit", "pipe"] });
  let stdout = "";
  let report = "";
  let interrupted = false;
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
    if (interruptWhen && !interrupted && stdout.includes(interruptWhen)) interrupted = child.kill("SIGINT");
  });
  child.stdio[3].on("data", (chunk) => (report += chunk));
  return new Promise((resolve) => child.once("close", (exitCode) => resolve({ exitCode, stdout, report })));
}

it("exits as the command did and reports the CPU of the command's whole tree", async () => {
  // The command spends 0.4 s of CPU in a grandchild, then exits 3: the count must include the grandchild.
  // The grandchild spins until its own CPU time reaches 0.4 s, not for 0.4 s of wall time, which on a
  // loaded machine is less CPU than that (0.27 s once).
  const busyGrandchild = `require("node:child_process").execFileSync(process.execPath, ["-e", "const used = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; }; while (used() < 0.4);"]); console.log("done"); process.exit(3);`;
  const { exitCode, stdout, report } = await runWrapped(busyGrandchild);
  expect(exitCode).toBe(3);
  expect(stdout).toBe("done\n");
  if (onLinux) {
    expect(Number(report)).toBeGreaterThanOrEqual(0.3);
    expect(Number(report)).toBeLessThan(30);
  } else {
    expect(report).toBe("");
  }
});

it("passes a stop signal on to the command, which can end as it chooses", async () => {
  const waitsForInterrupt = `process.on("SIGINT", () => { console.log("interrupted"); process.exit(42); }); console.log("ready"); setTimeout(() => {}, 30_000);`;
  const { exitCode, stdout } = await runWrapped(waitsForInterrupt, { interruptWhen: "ready" });
  expect(stdout).toBe("ready\ninterrupted\n");
  expect(exitCode).toBe(42);
});
