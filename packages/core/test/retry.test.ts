import { describe, expect, it } from "vitest";
import { backoffDelay, decideRetry, defaultRetryOptions, parseRetryAfter } from "../src/retry.js";

const headers = (init: Record<string, string>) => new Headers(init);
const NOW = Date.parse("2026-11-22T10:00:00Z");

describe("parseRetryAfter", () => {
  it("reads delta-seconds, including fractions", () => {
    expect(parseRetryAfter(headers({ "retry-after": "7" }), NOW)).toBe(7000);
    expect(parseRetryAfter(headers({ "retry-after": " 1.5 " }), NOW)).toBe(1500);
  });
  it("reads an HTTP-date relative to now, never negative", () => {
    expect(parseRetryAfter(headers({ "retry-after": "Sun, 22 Nov 2026 10:00:30 GMT" }), NOW)).toBe(30_000);
    expect(parseRetryAfter(headers({ "retry-after": "Sun, 22 Nov 2026 09:59:00 GMT" }), NOW)).toBe(0);
  });
  it("prefers retry-after-ms", () => {
    expect(parseRetryAfter(headers({ "retry-after-ms": "250", "retry-after": "9" }), NOW)).toBe(250);
  });
  it("ignores absent or unreadable values", () => {
    expect(parseRetryAfter(headers({}), NOW)).toBeUndefined();
    expect(parseRetryAfter(headers({ "retry-after": "soon" }), NOW)).toBeUndefined();
    expect(parseRetryAfter(headers({ "retry-after": "-5" }), NOW)).toBeUndefined();
    expect(parseRetryAfter(headers({ "retry-after": "2026" }), NOW)).toBe(2_026_000);
  });
});

describe("backoffDelay", () => {
  const opts = { initialDelayMs: 500, maxDelayMs: 8000 };
  it("doubles per retry up to the cap", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, opts, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });
  it("jitters down by at most 25%", () => {
    expect(backoffDelay(2, opts, () => 1)).toBe(750);
    expect(backoffDelay(2, opts, () => 0.5)).toBe(875);
  });
});

describe("decideRetry", () => {
  const options = { ...defaultRetryOptions, maxRetries: 2, maxRetryWaitMs: 10_000 };
  const response = (status: number, h: Record<string, string> = {}) => ({ kind: "response" as const, status, headers: headers(h) });
  const decide = (outcome: Parameters<typeof decideRetry>[0]["outcome"], retrySafe: boolean, attempt = 1) =>
    decideRetry({ attempt, outcome, retrySafe, options, now: NOW, random: () => 0 });

  it("retries 429 even for operations that are not safe to retry, honouring Retry-After", () => {
    expect(decide(response(429, { "retry-after": "3" }), false)).toEqual({ retry: true, delayMs: 3000 });
  });
  it("fails fast when Retry-After exceeds the budget", () => {
    expect(decide(response(429, { "retry-after": "3600" }), true)).toEqual({ retry: false, reason: "wait-exceeds-budget", retryAfterMs: 3_600_000 });
  });
  it("retries 5xx only for retry-safe operations", () => {
    expect(decide(response(500), false)).toEqual({ retry: false, reason: "not-retryable" });
    expect(decide(response(503), true)).toEqual({ retry: true, delayMs: 500 });
    expect(decide(response(501), true)).toEqual({ retry: false, reason: "not-retryable" });
  });
  it("never retries other 4xx or successes", () => {
    expect(decide(response(400), true).retry).toBe(false);
    expect(decide(response(200), true)).toEqual({ retry: false, reason: "success" });
  });
  it("stops after maxRetries", () => {
    expect(decide(response(429), true, 2)).toEqual({ retry: true, delayMs: 1000 });
    expect(decide(response(429), true, 3)).toMatchObject({ retry: false, reason: "exhausted" });
  });
  it("retries timeouts only when safe, and refused connections always", () => {
    expect(decide({ kind: "timeout" }, false).retry).toBe(false);
    expect(decide({ kind: "timeout" }, true).retry).toBe(true);
    expect(decide({ kind: "network", neverSent: false }, false).retry).toBe(false);
    expect(decide({ kind: "network", neverSent: true }, false).retry).toBe(true);
  });
});

describe("RateLimit-Reset", () => {
  it("is read when Retry-After is absent", () => {
    expect(parseRetryAfter(new Headers({ "ratelimit-reset": "42" }))).toBe(42_000);
    expect(parseRetryAfter(new Headers({ "ratelimit-reset": "42", "retry-after": "3" }))).toBe(3000);
  });
  it("is ignored for responses that were not rate limited (it rides on every response)", () => {
    const headers = new Headers({ "ratelimit-reset": "42" });
    expect(decideRetry({ attempt: 1, outcome: { kind: "response", status: 503, headers }, retrySafe: true, options: defaultRetryOptions, random: () => 0 })).toEqual({ retry: true, delayMs: 500 });
    expect(decideRetry({ attempt: 1, outcome: { kind: "response", status: 429, headers }, retrySafe: true, options: defaultRetryOptions, random: () => 0 })).toEqual({ retry: true, delayMs: 42_000 });
  });
});
