import { onAbort } from "./abort-listener.js";

/**
 * The line of callers waiting for a rate limiter's slot: first in, first out, and a caller whose
 * signal aborts leaves from wherever it stands in O(1). (An array filtered on every abort made
 * aborting a bulk job's N queued calls cost O(N²): 40,000 of them blocked the event loop for 27 s.
 * The usual small queues, yocto-queue and denque, cannot remove from the middle.) The line listens to
 * each caller's signal while the caller is in it, and stops however the caller leaves (served,
 * refused, aborted, taken). Each caller may have a budget, the longest it accepts to wait; the line
 * finds those a wait exceeds without looking at everyone each time it is asked.
 */

/** Where a value stands in a WaitQueue: what `push` returns and `remove` takes. */
export interface QueuePlace {
  readonly [placeBrand]: true;
}
declare const placeBrand: unique symbol;

interface Node<T> {
  readonly value: T;
  prev: Node<T> | undefined;
  next: Node<T> | undefined;
  /** False once the value has left the line (served, removed or taken), so a second remove is a no-op. */
  inLine: boolean;
  /** Stops listening to the caller's signal, if it gave one. */
  stopListening: (() => void) | undefined;
}

/** A caller in line: `maxWaitMs` is its budget (undefined: it waits as long as it takes). */
export interface Budgeted {
  readonly maxWaitMs: number | undefined;
}

export class WaitQueue<T extends Budgeted> {
  #head: Node<T> | undefined;
  #tail: Node<T> | undefined;
  #size = 0;
  /**
   * No budget in line is below this (Infinity: nobody has one). It may be lower than the smallest
   * budget left once that caller has gone, which costs one pass that corrects it; with every caller
   * on the same budget (one client's), a pass happens only when it refuses them all.
   */
  #smallestBudget = Infinity;

  get size(): number {
    return this.#size;
  }

  /**
   * Joins the end of the line. With a `signal`, the value leaves the line when it aborts, and then
   * (only then) `aborted` is called with the signal's reason.
   */
  push(value: T, signal?: AbortSignal, aborted?: (reason: unknown) => void): QueuePlace {
    if (value.maxWaitMs !== undefined && value.maxWaitMs < this.#smallestBudget) this.#smallestBudget = value.maxWaitMs;
    const node: Node<T> = { value, prev: this.#tail, next: undefined, inLine: true, stopListening: undefined };
    if (signal) {
      node.stopListening = onAbort(signal, () => {
        if (!node.inLine) return;
        this.#unlink(node);
        aborted?.(signal.reason);
      });
    }
    if (this.#tail) this.#tail.next = node;
    else this.#head = node;
    this.#tail = node;
    this.#size++;
    return node as unknown as QueuePlace;
  }

  /** Serves the first in line. */
  shift(): T | undefined {
    const node = this.#head;
    if (!node) return undefined;
    this.#unlink(node);
    return node.value;
  }

  /** Leaves the line from wherever it stands; false (and nothing happens) when it had left already. */
  remove(place: QueuePlace): boolean {
    const node = place as unknown as Node<T>;
    if (!node.inLine) return false;
    this.#unlink(node);
    return true;
  }

  /** The first `count` in line, first to last, left in it. */
  first(count: number): T[] {
    const values: T[] = [];
    for (let node = this.#head; node && values.length < count; node = node.next) values.push(node.value);
    return values;
  }

  /** Takes out, in line order, every value `leaves` says yes to (in one pass; `leaves` sees them all). */
  removeWhere(leaves: (value: T) => boolean): T[] {
    const removed: T[] = [];
    for (let node = this.#head; node; ) {
      const next = node.next;
      if (leaves(node.value)) {
        this.#unlink(node);
        removed.push(node.value);
      }
      node = next;
    }
    return removed;
  }

  /** Takes out, in line order, the callers whose budget a wait of `waitMs` exceeds. */
  takeOverBudget(waitMs: number): T[] {
    if (!(waitMs > this.#smallestBudget)) return [];
    let smallest = Infinity;
    const over = this.removeWhere(({ maxWaitMs }) => {
      if (maxWaitMs === undefined) return false;
      if (waitMs > maxWaitMs) return true;
      smallest = Math.min(smallest, maxWaitMs);
      return false;
    });
    this.#smallestBudget = smallest;
    return over;
  }

  /** Empties the line, returning everyone in it, first to last. */
  takeAll(): T[] {
    return this.removeWhere(() => true);
  }

  #unlink(node: Node<T>): void {
    if (node.prev) node.prev.next = node.next;
    else this.#head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.#tail = node.prev;
    node.prev = node.next = undefined;
    node.inLine = false;
    node.stopListening?.();
    this.#size--;
  }
}
