/** Runs test/fixtures/worker.mjs in child processes and collects what they report. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const WORKER = fileURLToPath(new URL("./fixtures/worker.mjs", import.meta.url));

export interface WorkerReport {
  ok: number;
  status: Record<string, number>;
  errors: Record<string, number>;
  messages: string[];
  fallbacks: number;
  recovered: number;
  unhandled: number;
  maxCallMs: number;
  exitCode: number | null;
  /** ms from spawn to exit. */
  ranMs: number;
}

export interface Worker {
  /** Resolves when the worker has connected to Redis and built its clients. */
  ready: Promise<void>;
  /** Lets a worker started with `waitForGo` begin. */
  go(): void;
  /** Resolves with its report when it exits; rejects if it does not exit within `exitWithinMs`. */
  done: Promise<WorkerReport>;
}

export function startWorker(settings: Record<string, unknown>, exitWithinMs: number): Worker {
  const started = performance.now();
  const child = spawn(process.execPath, [WORKER, JSON.stringify(settings)], { stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes('{"ready":true}')) markReady();
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<WorkerReport>((resolve, reject) => {
    const hang = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`worker did not exit within ${exitWithinMs} ms (a hang). stdout: ${stdout}\nstderr: ${stderr}`));
    }, exitWithinMs);
    child.once("exit", (code) => {
      clearTimeout(hang);
      const last = stdout.trim().split("\n").at(-1) ?? "";
      try {
        resolve({ ...JSON.parse(last), exitCode: code, ranMs: performance.now() - started });
      } catch {
        reject(new Error(`worker exited with ${code} without a report. stdout: ${stdout}\nstderr: ${stderr}`));
      }
    });
  });
  // Whatever happens to `ready`, `done` reports it; never leave it unobserved.
  done.catch(() => markReady());
  const go = () => {
    child.stdin.write("go\n");
    child.stdin.end();
  };
  return { ready, go, done };
}
