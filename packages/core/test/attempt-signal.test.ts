import { describe, expect, it } from "vitest";
import { attemptAborts } from "../src/attempt-signal.js";

describe("attempt signals", () => {
  // Node 20 and 22 (undici 6) follow any EventTarget signal; Node 24's undici 7 wants a real
  // AbortSignal, and there the probe falls back to an AbortController (whose signal is cheap there).
  const followsEventTargets = Number(process.versions.node.split(".")[0]) <= 22;

  it(`the platform's fetch gets ${followsEventTargets ? "the light signal (the fast path is on)" : "an AbortSignal (the platform wants one)"}`, () => {
    const attempt = attemptAborts(true)();
    if (followsEventTargets) expect(attempt.signal).not.toBeInstanceOf(AbortSignal);
    else expect(attempt.signal).toBeInstanceOf(AbortSignal);
    expect(attempt.signal.aborted).toBe(false);
  });

  it("a caller's own fetch gets an AbortController's signal", () => {
    expect(attemptAborts(false)().signal).toBeInstanceOf(AbortSignal);
  });

  it("a Request made with the platform's attempt signal aborts with it, with its reason, once", () => {
    const attempt = attemptAborts(true)();
    const request = new Request("http://127.0.0.1/", { signal: attempt.signal });
    const heard: unknown[] = [];
    attempt.signal.addEventListener("abort", () => heard.push(attempt.signal.reason));
    const reason = new Error("attempt timed out");
    attempt.abort(reason);
    attempt.abort(new Error("a second abort changes nothing"));
    expect(request.signal.aborted).toBe(true);
    expect(request.signal.reason).toBe(reason);
    expect(heard).toEqual([reason]);
    expect(() => attempt.signal.throwIfAborted()).toThrow("attempt timed out");
  });
});
