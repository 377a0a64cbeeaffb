import { describe, expect, it } from "vitest";
import { attemptAborts } from "../src/attempt-signal.js";

describe("attempt signals", () => {
  it("on Node the platform's fetch gets the light signal, not an AbortSignal (the fast path is on)", () => {
    const attempt = attemptAborts(true)();
    expect(attempt.signal).not.toBeInstanceOf(AbortSignal);
    expect(attempt.signal.aborted).toBe(false);
  });

  it("a caller's own fetch gets an AbortController's signal", () => {
    expect(attemptAborts(false)().signal).toBeInstanceOf(AbortSignal);
  });

  it("a Request made with the light signal aborts with it, with its reason, once", () => {
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
