/**
 * Spec-declared waiters (`x-o11ykit-wait`): poll a read operation until the resource it reads is
 * ready, for services that report a resource before it serves (a new Grafana Cloud stack). Each poll is
 * an ordinary call (limits, retries, timeouts); the wait is bounded by a deadline and stops at once
 * when the caller aborts.
 */
import { valueAt } from "./path.js";
import { sleep } from "./clock.js";
import { ApiError, ConfigError, TimeoutError, WaitTimeoutError, type OperationRef } from "./errors.js";
import type { OperationMetadata } from "./metadata.js";

export interface WaitProgress {
  /** Number of this poll, from 1. */
  poll: number;
  elapsedMs: number;
  /** `pending` (a status that means "not yet" or a payload not ready yet) or `ready`. */
  state: "pending" | "ready";
  /** HTTP status of this poll's answer. */
  status: number;
}

/** Options of `waitFor()`. */
export interface WaitForOptions {
  /** Deadline for the whole wait, in ms (default: the spec's `timeoutSeconds`). */
  timeoutMs?: number | undefined;
  /** Time between polls, in ms (default: the spec's `intervalSeconds`). */
  intervalMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Called after every poll. */
  onProgress?: ((progress: WaitProgress) => void) | undefined;
}

type PollCall = (init: Record<string, unknown>) => Promise<{ data?: unknown; error?: unknown; response: Response }>;


function checkWaitForOptions(where: string, options: WaitForOptions): void {
  for (const name of ["timeoutMs", "intervalMs"] as const) {
    const value = options[name];
    if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value) || value <= 0)) {
      throw new ConfigError(`${where}: wait option \`${name}\` must be a positive number of ms, got ${String(value)}`);
    }
  }
  const known = ["timeoutMs", "intervalMs", "signal", "onProgress"];
  for (const name of Object.keys(options)) if (!known.includes(name)) throw new ConfigError(`${where}: unknown wait option \`${name}\` (known: ${known.join(", ")})`);
}

export async function waitFor(op: OperationMetadata, ref: OperationRef, call: PollCall, init: Record<string, unknown>, options: WaitForOptions): Promise<unknown> {
  const wait = op.wait!;
  checkWaitForOptions(`${wait.name}`, options);
  const timeoutMs = options.timeoutMs ?? wait.timeoutSeconds * 1000;
  const intervalMs = options.intervalMs ?? wait.intervalSeconds * 1000;
  const signal = options.signal;
  const started = performance.now();
  let last = "no answer yet";
  for (let poll = 1; ; poll++) {
    signal?.throwIfAborted();
    const elapsed = performance.now() - started;
    const remaining = timeoutMs - elapsed;
    if (remaining <= 0) throw new WaitTimeoutError(ref, wait.name, timeoutMs, poll - 1, elapsed, last);
    // A poll never outlives the deadline.
    let answer: Awaited<ReturnType<PollCall>>;
    try {
      answer = await call({ ...init, signal, timeoutMs: Math.max(1, Math.min(remaining, (init["timeoutMs"] as number | undefined) ?? remaining)) });
    } catch (error) {
      // The poll ran into the wait's own deadline: that is the wait timing out, not the call failing.
      if (error instanceof TimeoutError && performance.now() - started >= timeoutMs) {
        throw new WaitTimeoutError(ref, wait.name, timeoutMs, poll, performance.now() - started, last);
      }
      throw error;
    }
    const { data, error, response } = answer;
    const status = response.status;
    let ready = false;
    if (error) {
      const pending = error instanceof ApiError && (wait.pendingStatuses ?? []).includes(error.status);
      if (!pending) throw error;
      last = `HTTP ${status}${error instanceof ApiError && error.providerMessage ? ` (${error.providerMessage})` : ""}`;
    } else if (wait.readyWhen) {
      const value = valueAt(data, wait.readyWhen.path);
      ready = wait.readyWhen.equals.some((expected) => expected === value);
      last = `HTTP ${status} with ${wait.readyWhen.path} = ${JSON.stringify(value)}`;
    } else {
      ready = true;
    }
    options.onProgress?.({ poll, elapsedMs: performance.now() - started, state: ready ? "ready" : "pending", status });
    if (ready) return data;
    const left = timeoutMs - (performance.now() - started);
    if (left <= 0) throw new WaitTimeoutError(ref, wait.name, timeoutMs, poll, performance.now() - started, last);
    await sleep(Math.min(intervalMs, left), signal);
  }
}
