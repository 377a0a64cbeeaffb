import { describe, expect, it } from "vitest";
import { WaitQueue } from "../src/wait-queue.js";

function lineOf(...values: string[]) {
  const queue = new WaitQueue<string>();
  const places = values.map((value) => queue.push(value));
  return { queue, places };
}

describe("WaitQueue", () => {
  it("serves first in, first out", () => {
    const { queue } = lineOf("a", "b", "c");
    expect(queue.size).toBe(3);
    expect([queue.shift(), queue.shift(), queue.shift(), queue.shift()]).toEqual(["a", "b", "c", undefined]);
    expect(queue.size).toBe(0);
  });

  it("lets a value leave from the head, the middle or the tail, keeping the others' order", () => {
    for (const [leaving, left] of [
      [0, ["b", "c", "d"]],
      [1, ["a", "c", "d"]],
      [3, ["a", "b", "c"]],
    ] as const) {
      const { queue, places } = lineOf("a", "b", "c", "d");
      queue.remove(places[leaving]!);
      expect(queue.size).toBe(3);
      expect(queue.first(10)).toEqual(left);
      // And the line still works at both ends afterwards.
      queue.push("e");
      expect(queue.takeAll()).toEqual([...left, "e"]);
    }
  });

  it("ignores a second removal, and the removal of a value already served", () => {
    const { queue, places } = lineOf("a", "b", "c");
    queue.remove(places[1]!);
    queue.remove(places[1]!);
    expect(queue.shift()).toBe("a");
    queue.remove(places[0]!); // served already
    expect(queue.size).toBe(1);
    expect(queue.first(10)).toEqual(["c"]);
  });

  it("shows the first few without taking them", () => {
    const { queue } = lineOf("a", "b", "c");
    expect(queue.first(2)).toEqual(["a", "b"]);
    expect(queue.first(0)).toEqual([]);
    expect(queue.size).toBe(3);
  });

  it("takes out, in one pass over everyone, the values a predicate picks", () => {
    const { queue } = lineOf("a1", "b2", "c3", "d4", "e5");
    const seen: string[] = [];
    const removed = queue.removeWhere((value) => (seen.push(value), Number(value[1]) % 2 === 1));
    expect(seen).toEqual(["a1", "b2", "c3", "d4", "e5"]);
    expect(removed).toEqual(["a1", "c3", "e5"]);
    expect(queue.first(10)).toEqual(["b2", "d4"]);
    expect(queue.size).toBe(2);
  });

  it("empties with takeAll, after which pushing starts a new line", () => {
    const { queue, places } = lineOf("a", "b");
    expect(queue.takeAll()).toEqual(["a", "b"]);
    expect(queue.size).toBe(0);
    queue.remove(places[0]!); // taken already: nothing happens
    queue.push("c");
    expect(queue.shift()).toBe("c");
    expect(queue.shift()).toBeUndefined();
  });
});
