/**
 * Scenario rules: what the mock should answer instead of the spec's example, for the next calls to an
 * operation (or to any operation). Rules are used up first-in first-out; each applies `times` times.
 */
import type { Spec } from "./providers.js";
import { operationsOf, pathMatcher } from "./providers.js";

export type ScenarioResponse =
  /** An error response: the spec's example for that status, with `code`/`message` patched in. */
  | { kind: "error"; status: number; code?: string; message?: string; retryAfter?: number | string }
  /** The normal answer, after a delay (a slow server). */
  | { kind: "slow"; delayMs: number }
  /** No answer at all: the client's timeout is what ends the call. */
  | { kind: "hang" }
  /** The connection is closed without an answer. */
  | { kind: "drop" };

export interface ScenarioRule {
  /** `METHOD /path/{param}` as in the spec; every operation when absent. */
  operation?: string;
  /** How many calls it applies to (default 1). */
  times?: number;
  respond: ScenarioResponse;
}

interface ActiveRule extends ScenarioRule {
  remaining: number;
  matches: (method: string, path: string) => boolean;
}

export class ScenarioBook {
  readonly #spec: Spec;
  #rules: ActiveRule[] = [];

  constructor(spec: Spec) {
    this.#spec = spec;
  }

  add(rule: ScenarioRule): void {
    const times = rule.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`scenario \`times\` must be a positive integer, got ${JSON.stringify(rule.times)}`);
    let matches: ActiveRule["matches"] = () => true;
    if (rule.operation !== undefined) {
      const operations = operationsOf(this.#spec);
      const op = operations.find((o) => o.key === rule.operation);
      if (!op) {
        const near = nearestOperations(rule.operation, operations.map((o) => o.key));
        throw new Error(
          `scenario for unknown operation ${JSON.stringify(rule.operation)}; ` +
            (near.length ? `closest: ${near.join(", ")}; ` : "") +
            `the spec has ${operations.length} operations, each written "METHOD /path" as in the spec (the mock's CLI lists them)`,
        );
      }
      const pattern = pathMatcher(op.path);
      matches = (method, path) => method === op.method && pattern.test(path);
    }
    this.#rules.push({ ...rule, remaining: times, matches });
  }

  /** The rule for this call, if any, used up by one. */
  take(method: string, path: string): ScenarioRule | undefined {
    const rule = this.#rules.find((r) => r.remaining > 0 && r.matches(method, path));
    if (!rule) return undefined;
    rule.remaining--;
    this.#rules = this.#rules.filter((r) => r.remaining > 0);
    return rule;
  }

  clear(): void {
    this.#rules = [];
  }

  get pending(): number {
    return this.#rules.reduce((n, r) => n + r.remaining, 0);
  }
}

/** Convenience constructors shared by the in-process mock and the remote control client. */
export interface ScenarioHelpers {
  /** Answer 429 with `Retry-After` (seconds, default 1). */
  rateLimit(options?: { operation?: string; retryAfter?: number | string; times?: number }): Promise<void>;
  /** Answer a server error (default 500). */
  serverError(options?: { operation?: string; status?: number; times?: number }): Promise<void>;
  /** Answer the provider's error body with this code (e.g. Flashduty `InvalidParameter`, Grafana `Conflict`). */
  providerError(options: { operation?: string; status: number; code?: string; message?: string; times?: number }): Promise<void>;
  /** Never answer, so the client times out. */
  timeout(options?: { operation?: string; times?: number }): Promise<void>;
  /** Answer normally, but only after `delayMs`. */
  slow(options: { operation?: string; delayMs: number; times?: number }): Promise<void>;
  /** Close the connection without answering. */
  dropConnection(options?: { operation?: string; times?: number }): Promise<void>;
  /** Forget every scenario not used yet. */
  clear(): Promise<void>;
}

export function scenarioHelpers(add: (rule: ScenarioRule) => Promise<void>, clear: () => Promise<void>): ScenarioHelpers {
  return {
    rateLimit: ({ operation, retryAfter = 1, times } = {}) => add({ operation, times, respond: { kind: "error", status: 429, retryAfter } }),
    serverError: ({ operation, status = 500, times } = {}) => add({ operation, times, respond: { kind: "error", status } }),
    providerError: ({ operation, status, code, message, times }) => add({ operation, times, respond: { kind: "error", status, code, message } }),
    timeout: ({ operation, times } = {}) => add({ operation, times, respond: { kind: "hang" } }),
    slow: ({ operation, delayMs, times }) => add({ operation, times, respond: { kind: "slow", delayMs } }),
    dropConnection: ({ operation, times } = {}) => add({ operation, times, respond: { kind: "drop" } }),
    clear,
  };
}

/** Up to five operations whose "METHOD /path" shares the longest prefix with the one asked for. */
function nearestOperations(asked: string, keys: readonly string[]): string[] {
  const askedPath = asked.replace(/^\S+\s+/, "");
  const shared = (key: string) => {
    const path = key.replace(/^\S+\s+/, "");
    let n = 0;
    while (n < path.length && n < askedPath.length && path[n] === askedPath[n]) n++;
    return n;
  };
  return keys
    .map((key) => ({ key, score: shared(key) }))
    .filter((c) => c.score > 1)
    .sort((a, b) => b.score - a.score)
    .slice(0, 5)
    .map((c) => c.key);
}
