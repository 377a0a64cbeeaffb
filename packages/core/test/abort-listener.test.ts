import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it, vi } from "vitest";
import { onAbort } from "../src/abort-listener.js";

afterEach(() => vi.restoreAllMocks());

describe("onAbort", () => {
  it("puts one listener on a signal however many callers wait on it, and calls each once, in order", () => {
    const controller = new AbortController();
    const calls: number[] = [];
    for (let i = 0; i < 50; i++) onAbort(controller.signal, () => calls.push(i));
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    controller.abort();
    controller.abort();
    expect(calls).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("does not call a callback whose caller stopped listening", () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const stopA = onAbort(controller.signal, () => calls.push("a"));
    onAbort(controller.signal, () => calls.push("b"));
    stopA();
    stopA();
    controller.abort();
    expect(calls).toEqual(["b"]);
  });

  it("takes its listener off when the last caller stops listening, and puts it back for the next", () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const stops = [onAbort(controller.signal, () => calls.push("a")), onAbort(controller.signal, () => calls.push("b"))];
    stops[0]!();
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    stops[1]!();
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    onAbort(controller.signal, () => calls.push("c"));
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    controller.abort();
    expect(calls).toEqual(["c"]);
  });

  it("keeps each signal's callbacks apart", () => {
    const first = new AbortController();
    const second = new AbortController();
    const calls: string[] = [];
    onAbort(first.signal, () => calls.push("first"));
    onAbort(second.signal, () => calls.push("second"));
    second.abort();
    expect(calls).toEqual(["second"]);
    first.abort();
    expect(calls).toEqual(["second", "first"]);
  });

  it("runs every callback when one throws, and reports the error as a throwing listener's would be", () => {
    const reported: Array<() => void> = [];
    vi.spyOn(globalThis, "queueMicrotask").mockImplementation((task) => void reported.push(task));
    const controller = new AbortController();
    const calls: string[] = [];
    onAbort(controller.signal, () => {
      throw new Error("listener broke");
    });
    onAbort(controller.signal, () => calls.push("after"));
    controller.abort();
    expect(calls).toEqual(["after"]);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toThrow("listener broke");
  });
});
