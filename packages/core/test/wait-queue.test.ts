import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { WaitQueue } from "../src/wait-queue.js";

interface Caller {
  name: string;
  maxWaitMs: number | undefined;
}

const caller = (name: string, maxWaitMs?: number): Caller => ({ name, maxWaitMs });
const names = (callers: Array<Caller | undefined>) => callers.map((c) => c?.name);

function lineOf(...callers: Caller[]) {
  const queue = new WaitQueue<Caller>();
  const places = callers.map((c) => queue.push(c));
  return { queue, places };
}

const abcd = () => lineOf(caller("a"), caller("b"), caller("c"), caller("d"));

describe("WaitQueue", () => {
  it("serves first in, first out", () => {
    const { queue } = lineOf(caller("a"), caller("b"), caller("c"));
    expect(queue.size).toBe(3);
    expect(names([queue.shift(), queue.shift(), queue.shift(), queue.shift()])).toEqual(["a", "b", "c", undefined]);
    expect(queue.size).toBe(0);
  });

  it("lets a caller leave from the head, the middle or the tail, keeping the others' order", () => {
    for (const [leaving, left] of [
      [0, ["b", "c", "d"]],
      [1, ["a", "c", "d"]],
      [3, ["a", "b", "c"]],
    ] as const) {
      const { queue, places } = abcd();
      queue.remove(places[leaving]!);
      expect(queue.size).toBe(3);
      expect(names(queue.first(10))).toEqual(left);
      // And the line still works at both ends afterwards.
      queue.push(caller("e"));
      expect(names(queue.takeAll())).toEqual([...left, "e"]);
    }
  });

  it("ignores a second removal, and the removal of a caller already served", () => {
    const { queue, places } = lineOf(caller("a"), caller("b"), caller("c"));
    queue.remove(places[1]!);
    queue.remove(places[1]!);
    expect(queue.shift()?.name).toBe("a");
    queue.remove(places[0]!); // served already
    expect(queue.size).toBe(1);
    expect(names(queue.first(10))).toEqual(["c"]);
  });

  it("shows the first few without taking them", () => {
    const { queue } = abcd();
    expect(names(queue.first(2))).toEqual(["a", "b"]);
    expect(queue.first(0)).toEqual([]);
    expect(queue.size).toBe(4);
  });

  it("takes out, in one pass over everyone, the callers a predicate picks", () => {
    const { queue } = abcd();
    const seen: string[] = [];
    const removed = queue.removeWhere(({ name }) => (seen.push(name), name === "a" || name === "c"));
    expect(seen).toEqual(["a", "b", "c", "d"]);
    expect(names(removed)).toEqual(["a", "c"]);
    expect(names(queue.first(10))).toEqual(["b", "d"]);
    expect(queue.size).toBe(2);
  });

  it("empties with takeAll, after which pushing starts a new line", () => {
    const { queue, places } = lineOf(caller("a"), caller("b"));
    expect(names(queue.takeAll())).toEqual(["a", "b"]);
    expect(queue.size).toBe(0);
    queue.remove(places[0]!); // taken already: nothing happens
    queue.push(caller("c"));
    expect(queue.shift()?.name).toBe("c");
    expect(queue.shift()).toBeUndefined();
  });

  it("lets a caller go when its signal aborts, telling only then, and stops listening however it leaves", () => {
    const queue = new WaitQueue<Caller>();
    const controller = new AbortController();
    const told: string[] = [];
    for (const name of ["a", "b", "c"]) queue.push(caller(name), controller.signal, () => told.push(name));
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    expect(queue.shift()?.name).toBe("a"); // served: no longer listened for
    controller.abort();
    expect(told).toEqual(["b", "c"]);
    expect(queue.size).toBe(0);
    const other = new AbortController();
    queue.push(caller("d"), other.signal, () => told.push("d"));
    queue.takeAll();
    expect(getEventListeners(other.signal, "abort")).toHaveLength(0);
  });

  it("takes out exactly the callers whose budget a wait exceeds, also after the tightest one left", () => {
    const { queue, places } = lineOf(caller("tight", 1_000), caller("minute", 60_000), caller("patient"), caller("hour", 3_600_000));
    expect(queue.takeOverBudget(500)).toEqual([]);
    queue.remove(places[0]!); // the tightest budget leaves; the line has not looked at the rest yet
    expect(queue.takeOverBudget(30_000)).toEqual([]);
    expect(queue.size).toBe(3);
    expect(names(queue.takeOverBudget(120_000))).toEqual(["minute"]);
    expect(names(queue.takeOverBudget(7_200_000))).toEqual(["hour"]);
    expect(queue.takeOverBudget(Number.MAX_SAFE_INTEGER)).toEqual([]);
    expect(names(queue.first(10))).toEqual(["patient"]);
  });
});
