/**
 * The fetch that every o11ykit client sends through. Per call it reads the request once; then for each
 * attempt, and each redirect hop within it, it waits for rate-limit capacity, sends the same bytes
 * under the attempt's timeout, reads the answer as a stream under the size cap, interprets it once
 * (envelope, errors in 2xx bodies, broken successes) and decides whether to retry.
 *
 * Nothing here depends on an object the garbage collector may take while a call waits: fetch gets a
 * URL string and an init (never a Request, whose signal Node 20 can lose), the caller's signal is held
 * by the call itself, and each attempt's signal is held by its own timer.
 */
import { onAbort } from "./abort-listener.js";
import type { AttemptAbort } from "./attempt-signal.js";
import type { ApplyAuth } from "./auth.js";
import { setLongTimeout, sleep, type LongTimer } from "./clock.js";
import { interpret, type Interpretation, type ParseAs } from "./envelope.js";
import { ConnectionError, O11ykitError, RateLimitError, RedirectError, ResponseTooLargeError, TimeoutError, neverSent, type OperationRef } from "./errors.js";
import type { ApiMetadata, OperationMetadata, RetryRule } from "./metadata.js";
import { acquireAll, RateLimitWaitError, type RateLimiter, type Release } from "./rate-limiter.js";
import type { Log } from "./log.js";
import type { Redactor } from "./redact.js";
import type { OutgoingRequest } from "./request.js";
import { BodyTooLarge, readCapped } from "./response-body.js";
import { decideRetry, parseRetryAfter, type Outcome, type RetryOptions } from "./retry.js";

/** The fetch the transport calls: the standard signature, always with a URL string. */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

export interface CallSettings {
  operation: OperationRef;
  op: OperationMetadata;
  limiters: readonly RateLimiter[];
  timeoutMs: number;
  retry: RetryOptions;
  retryOn?: readonly RetryRule[] | undefined;
  /** The caller's signal, held here (not through a Request) for the whole call. */
  signal: AbortSignal | undefined;
  maxResponseBytes: number;
  maxRedirects: number;
  parseAs: ParseAs;
}

export interface TransportEvents {
  /** Called before each retry wait; for logging. URLs are redacted. */
  onRetry?: ((info: { operation: OperationRef; attempt: number; delayMs: number; reason: string }) => void) | undefined;
}

export interface TransportConfig extends TransportEvents {
  fetch: FetchFunction;
  /** Makes the signal that ends one attempt (see attempt-signal.ts). */
  newAttemptAbort: () => AttemptAbort;
  api: ApiMetadata;
  applyAuth: ApplyAuth;
  redactor: Redactor;
  /** Where to report attempts, waits and retries (undefined: nowhere, and nothing is built). */
  log?: Log | undefined;
}

/** The outcome of a call: a body-less Response (status and headers) and what its body meant. */
export type CallResult = Interpretation & {
  response: Response;
  wireStatus: number;
  attempts: number;
  retryAfterMs?: number;
  retryBudgetMs?: number;
};

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function describeOutcome(outcome: Outcome): string {
  if (outcome.kind === "response") return `HTTP ${outcome.status}`;
  return outcome.kind === "timeout" ? "timeout" : "connection error";
}

/** A copy of an error chain with every message redacted, so a `cause` never carries a secret. */
function redactedCause(error: unknown, redactor: Redactor, depth = 0): unknown {
  if (!(error instanceof Error) || depth > 4) return typeof error === "string" ? redactor.text(error) : error;
  const copy = new Error(redactor.text(error.message), error.cause === undefined ? undefined : { cause: redactedCause(error.cause, redactor, depth + 1) });
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") (copy as Error & { code?: string }).code = code;
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}

export function createTransport(config: TransportConfig) {
  const { redactor, log } = config;

  /**
   * One attempt: follows same-origin redirects itself, each hop counted by the limiters. `granted` is
   * called each time a hop has its slots (the attempt's timeout starts at the first).
   */
  async function attemptOnce(
    first: OutgoingRequest,
    call: CallSettings,
    signal: AbortSignal,
    urlForMessages: () => string,
    granted: () => void,
  ): Promise<{ response: Response; bytes: Uint8Array }> {
    let request = first;
    for (let hop = 0; ; hop++) {
      let release: Release;
      try {
        release = await acquireAll(call.limiters, signal, call.retry.maxRetryWaitMs);
      } catch (error) {
        throw error instanceof RateLimitWaitError ? new RateLimitError(call.operation, error) : error;
      }
      granted();
      if (log) {
        // The limiter says whether the call queued (the time an await took would also count a busy
        // machine's stalls, or a shared store's round trip, as waits).
        if (release.queuedMs) log("debug", `${call.operation.operationId}: waited ${Math.round(release.queuedMs)} ms for rate-limit capacity`);
        log("debug", `${call.operation.operationId}: ${request.method} ${hop ? `${redactor.url(request.url)} (redirect ${hop})` : urlForMessages()}`);
      }
      let response: Response;
      let sent = true;
      try {
        response = await config.fetch(request.url, {
          ...request.extra,
          method: request.method,
          // fetch copies the headers into its own Request, so one object serves every attempt.
          headers: request.headers,
          // A string is immutable; bytes get a fresh view per hop and attempt, as fetch may detach them.
          body: request.body instanceof Uint8Array ? request.body.slice() : request.body,
          signal,
          redirect: "manual",
        });
      } catch (error) {
        // A refused connection never reached the server, which did not count it: the slot comes back.
        sent = !neverSent(error);
        throw error;
      } finally {
        release(sent);
      }
      log?.("debug", `${call.operation.operationId}: HTTP ${response.status}`);
      if (!REDIRECT_STATUSES.has(response.status)) {
        try {
          return { response, bytes: await readCapped(response, call.maxResponseBytes) };
        } catch (error) {
          if (error instanceof BodyTooLarge) throw new ResponseTooLargeError(call.operation, call.maxResponseBytes, response.status, error.declaredBytes);
          throw error;
        }
      }
      await response.body?.cancel().catch(() => undefined);
      request = redirected(first, request, response, hop, call);
    }
  }

  /** The next hop of a redirect, or a RedirectError when it must not be followed. */
  function redirected(first: OutgoingRequest, request: OutgoingRequest, response: Response, hop: number, call: CallSettings): OutgoingRequest {
    const location = response.headers.get("location");
    let target: URL | undefined;
    try {
      target = location === null ? undefined : new URL(location, request.url);
    } catch {
      target = undefined;
    }
    if (!target) throw new RedirectError(call.operation, response.status, "", "no-location", hop);
    const shown = redactor.url(target.href);
    if (target.origin !== new URL(first.url).origin) throw new RedirectError(call.operation, response.status, shown, "cross-origin", hop);
    if (hop + 1 > call.maxRedirects) throw new RedirectError(call.operation, response.status, shown, "too-many", call.maxRedirects);
    // As fetch does: 303 (and 301/302 after a POST) continue as a GET without the body; 307/308 re-send it.
    const toGet = response.status === 303 ? request.method !== "HEAD" : (response.status === 301 || response.status === 302) && request.method === "POST";
    const headers = new Headers(request.headers);
    if (toGet) {
      headers.delete("content-type");
      headers.delete("content-length");
    }
    // The target may have dropped a query-string key: the credential is put on every hop again.
    const url = config.applyAuth(target.href, headers);
    return { url, method: toGet ? "GET" : request.method, headers, body: toGet ? undefined : request.body, extra: request.extra };
  }

  /**
   * Sends one call. `outgoing` arrives without credentials and belongs to the call from here on: the
   * credential is put on its URL or headers once, and every attempt sends it as it is.
   */
  return async function send(outgoing: OutgoingRequest, call: CallSettings): Promise<CallResult> {
    const userSignal = call.signal;
    // Messages and the caller's `response.url` show the call's own URL, without the credential.
    const callUrl = outgoing.url;
    let shownUrl: string | undefined;
    const urlForMessages = () => (shownUrl ??= redactor.url(callUrl));
    outgoing.url = config.applyAuth(outgoing.url, outgoing.headers);

    for (let attempt = 1; ; attempt++) {
      userSignal?.throwIfAborted();
      // One signal per attempt, aborted by the caller's signal or by this attempt's timer. While the
      // attempt waits in a limiter's line the line holds it, and from then on the timer's closure
      // does, so it cannot be collected while the attempt runs.
      const attemptAbort = config.newAttemptAbort();
      let timedOut = false;
      let timer: LongTimer | undefined;
      // The attempt's clock starts when its first request is granted a rate-limit slot, not before:
      // `timeoutMs` bounds the server, not the line. A bulk job queues longer than any timeout (the
      // 101st concurrent call to open-source ClickStack waits a minute for its slot), and counting
      // the line timed calls out before they were sent, retried them at the back of the line, and
      // sent some with too little time left to answer. The line is bounded by the caller's signal, and
      // a window whose next slot is further away than `maxRetryWaitMs` refuses the call at once.
      const startClock = () => {
        timer ??= setLongTimeout(() => {
          timedOut = true;
          attemptAbort.abort(new TimeoutError(call.operation, call.timeoutMs, attempt));
        }, call.timeoutMs);
      };
      const stopFollowingUser = userSignal ? onAbort(userSignal, () => attemptAbort.abort(userSignal.reason)) : undefined;

      let outcome: Outcome;
      let result: { response: Response; meaning: Interpretation } | undefined;
      let failure: unknown;
      try {
        const { response, bytes } = await attemptOnce(outgoing, call, attemptAbort.signal, urlForMessages, startClock);
        const meaning = interpret(config.api, call.op, response.status, response.headers, bytes, call.parseAs);
        result = { response, meaning };
        const transient = !meaning.ok && matchesRetryRule(meaning.status, meaning.text, call.retryOn);
        outcome = { kind: "response", status: meaning.status, headers: response.headers, transient };
      } catch (error) {
        if (userSignal?.aborted) throw userSignal.reason;
        // The client's own verdicts (a rate-limit budget, a refused redirect, a body over the cap, or a
        // limiter store's failure) end the call as they are; only the network's failures are retried.
        if (!timedOut && error instanceof O11ykitError) throw error;
        failure = timedOut ? attemptAbort.signal.reason : error;
        outcome = timedOut ? { kind: "timeout" } : { kind: "network", neverSent: neverSent(error) };
      } finally {
        timer?.cancel();
        stopFollowingUser?.();
      }

      // A 429 with a wait applies to everyone on this credential: pause the limiters (shared ones
      // pause every process), so other calls wait it out instead of running into the same 429.
      if (outcome.kind === "response" && outcome.status === 429) {
        const pauseMs = parseRetryAfter(outcome.headers);
        if (pauseMs !== undefined && pauseMs <= call.retry.maxRetryWaitMs) for (const limiter of call.limiters) limiter.pauseFor(pauseMs);
      }
      const decision = decideRetry({ attempt, outcome, retrySafe: call.op.retrySafe, options: call.retry });
      if (decision.retry) {
        config.onRetry?.({ operation: call.operation, attempt, delayMs: decision.delayMs, reason: describeOutcome(outcome) });
        log?.("info", `${call.operation.operationId}: retrying in ${decision.delayMs} ms after ${describeOutcome(outcome)} (attempt ${attempt} of ${call.retry.maxRetries + 1})`);
        await sleep(decision.delayMs, userSignal);
        continue;
      }
      if (!result) {
        log?.("warn", `${call.operation.operationId} failed after ${attempt} attempt(s): ${describeOutcome(outcome)}`);
        // Report how many attempts were made on the error we throw.
        if (failure instanceof TimeoutError) throw new TimeoutError(call.operation, call.timeoutMs, attempt);
        throw new ConnectionError(call.operation, urlForMessages(), attempt, redactedCause(failure, redactor));
      }
      const { response, meaning } = result;
      if (!meaning.ok) log?.("warn", `${call.operation.operationId} failed: HTTP ${meaning.status}${meaning.status !== response.status ? ` (sent as HTTP ${response.status})` : ""} after ${attempt} attempt(s)`);
      const final = finalResponse(response, meaning, config.api.requestIdHeader);
      // Responses expose `url`, which may carry a query-string secret (or a redirect's target): unless
      // it is the call's own URL already and holds no secret, shadow it with the call's, redacted.
      if (final.url !== callUrl || redactor.text(callUrl) !== callUrl) Object.defineProperty(final, "url", { get: urlForMessages, enumerable: false, configurable: true });
      // Filled in place: \`meaning\` is this call's own object, and on Node 20 a spread copy of it costs
      // more (~5 µs) than all of this function's other work.
      const callResult: CallResult = Object.assign(meaning, { response: final, wireStatus: response.status, attempts: attempt });
      if (decision.reason === "wait-exceeds-budget") {
        callResult.retryAfterMs = decision.retryAfterMs;
        callResult.retryBudgetMs = call.retry.maxRetryWaitMs;
      }
      return callResult;
    }
  };
}

/**
 * The Response the caller gets. A plain success is the wire's own object (its body already read):
 * no copy. A new, body-less one is made when the status changed (an error in a 2xx body), for error
 * statuses (openapi-fetch reads their body), or to fill in the request-id header from the body.
 */
function finalResponse(response: Response, meaning: Interpretation, requestIdHeader: string | null): Response {
  const fillId = meaning.requestId !== undefined && requestIdHeader !== null && !response.headers.has(requestIdHeader);
  if (meaning.ok && meaning.status === response.status && !fillId) return response;
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  headers.delete("content-encoding");
  if (fillId) headers.set(requestIdHeader!, meaning.requestId!);
  return new Response(null, { status: meaning.status, statusText: meaning.status === response.status ? response.statusText : "", headers });
}

/** True when the failure is one the operation's spec documents as transient. */
function matchesRetryRule(status: number, text: string, rules: readonly RetryRule[] | undefined): boolean {
  if (!rules) return false;
  const lower = text.toLowerCase();
  return rules.some((rule) => rule.status === status && (rule.messageIncludes === undefined || lower.includes(rule.messageIncludes.toLowerCase())));
}

export type Transport = ReturnType<typeof createTransport>;
