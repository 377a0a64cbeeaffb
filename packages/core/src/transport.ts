/**
 * The fetch that every o11ykit client sends through: per call it buffers the request once, then for
 * each attempt waits for rate-limit capacity, sends an identical request under a fresh per-attempt
 * timeout, adapts the response (envelopes) and decides whether to retry. Aborting the caller's signal
 * stops it at once, wherever it is waiting.
 */
import { sleep } from "./clock.js";
import { ConnectionError, RateLimitError, TimeoutError, neverSent, type OperationRef } from "./errors.js";
import { copyHeaders, responseFacts } from "./envelope.js";
import { acquireAll, RateLimitWaitError, type SlidingWindowLimiter } from "./rate-limiter.js";
import type { Redactor } from "./redact.js";
import type { RetryRule } from "./metadata.js";
import { decideRetry, type Outcome, type RetryOptions } from "./retry.js";

export interface CallSettings {
  operation: OperationRef;
  retrySafe: boolean;
  limiters: readonly SlidingWindowLimiter[];
  timeoutMs: number;
  retry: RetryOptions;
  retryOn?: readonly RetryRule[];
}

export interface TransportEvents {
  /** Called before each retry wait; for logging. URLs are redacted. */
  onRetry?(info: { operation: OperationRef; attempt: number; delayMs: number; reason: string }): void;
}

export interface TransportConfig extends TransportEvents {
  fetch: (request: Request) => Promise<Response>;
  adaptResponse: ((response: Response) => Promise<Response>) | undefined;
  redactor: Redactor;
}

/** What the transport learnt about a call, attached to its final response. */
export interface CallFacts {
  attempts: number;
  retryAfterMs?: number;
  retryBudgetMs?: number;
}

export const callFacts = new WeakMap<Response, CallFacts>();

function describeOutcome(outcome: Outcome): string {
  if (outcome.kind === "response") return `HTTP ${outcome.status}`;
  return outcome.kind === "timeout" ? "timeout" : "connection error";
}

export function createTransport(config: TransportConfig) {
  return async function send(request: Request, call: CallSettings): Promise<Response> {
    const userSignal = request.signal;
    // Buffered once so that every attempt sends exactly the same bytes.
    const body = request.body === null ? undefined : await request.arrayBuffer();
    const url = config.redactor.url(request.url);

    for (let attempt = 1; ; attempt++) {
      userSignal.throwIfAborted();
      const release = await acquireAll(call.limiters, userSignal, call.retry.maxRetryWaitMs).catch((error: unknown) => {
        throw error instanceof RateLimitWaitError ? new RateLimitError(call.operation, error) : error;
      });
      // One controller per attempt, aborted by the caller's signal or by this attempt's timer. (Not
      // AbortSignal.any: on Node 20 its combined signal can be garbage-collected under load and never
      // fire, which left a timed-out call hanging.)
      const attemptAbort = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        attemptAbort.abort(new TimeoutError(call.operation, call.timeoutMs, attempt));
      }, call.timeoutMs);
      const onUserAbort = () => attemptAbort.abort(userSignal.reason);
      userSignal.addEventListener("abort", onUserAbort, { once: true });
      const signal = attemptAbort.signal;

      let outcome: Outcome;
      let response: Response | undefined;
      let failure: unknown;
      try {
        const sent = await config.fetch(
          new Request(request.url, { method: request.method, headers: request.headers, body, signal, redirect: request.redirect }),
        );
        release();
        // The whole body is read under this attempt's timeout, so a stalled body also times out.
        response = config.adaptResponse ? await config.adaptResponse(sent) : await buffered(sent);
        const transient = await matchesRetryRule(response, call.retryOn);
        outcome = { kind: "response", status: response.status, headers: response.headers, transient };
      } catch (error) {
        release();
        if (userSignal.aborted) throw userSignal.reason;
        failure = timedOut ? attemptAbort.signal.reason : new ConnectionError(call.operation, url, attempt, error);
        outcome = timedOut ? { kind: "timeout" } : { kind: "network", neverSent: neverSent(error) };
      } finally {
        clearTimeout(timer);
        userSignal.removeEventListener("abort", onUserAbort);
      }

      const decision = decideRetry({ attempt, outcome, retrySafe: call.retrySafe, options: call.retry });
      if (decision.retry) {
        config.onRetry?.({ operation: call.operation, attempt, delayMs: decision.delayMs, reason: describeOutcome(outcome) });
        await response?.body?.cancel();
        await sleep(decision.delayMs, userSignal);
        continue;
      }
      if (!response) {
        // Report how many attempts were made on the error we throw.
        if (failure instanceof TimeoutError) throw new TimeoutError(call.operation, call.timeoutMs, attempt);
        if (failure instanceof ConnectionError) throw new ConnectionError(call.operation, url, attempt, failure.cause);
        throw failure;
      }
      const facts: CallFacts = { attempts: attempt };
      if (decision.reason === "wait-exceeds-budget") {
        facts.retryAfterMs = decision.retryAfterMs;
        facts.retryBudgetMs = call.retry.maxRetryWaitMs;
      }
      const final = withRedactedUrl(response, url);
      callFacts.set(final, facts);
      const adapted = responseFacts.get(response);
      if (adapted) responseFacts.set(final, adapted);
      return final;
    }
  };
}

/** True when the response is a failure the operation's spec documents as transient. */
async function matchesRetryRule(response: Response, rules: readonly RetryRule[] | undefined): Promise<boolean> {
  const candidates = rules?.filter((rule) => rule.status === response.status) ?? [];
  if (candidates.length === 0) return false;
  const text = (await response.clone().text()).toLowerCase();
  return candidates.some((rule) => rule.messageIncludes === undefined || text.includes(rule.messageIncludes.toLowerCase()));
}

async function buffered(response: Response): Promise<Response> {
  const body = response.status === 204 || response.status === 304 ? null : await response.arrayBuffer();
  return new Response(body, { status: response.status, statusText: response.statusText, headers: copyHeaders(response.headers) });
}

/** Responses expose `url`, which may carry a query-string secret; shadow it with the redacted one. */
function withRedactedUrl(response: Response, url: string): Response {
  Object.defineProperty(response, "url", { value: url, enumerable: false, configurable: true });
  return response;
}

export type Transport = ReturnType<typeof createTransport>;
