/**
 * A loopback HTTP server that enforces a strict sliding-window rate limit: a request is answered 429
 * when `limit` requests were already accepted in the `periodMs` before its arrival. Used to prove that
 * a client never exceeds a limit, and to measure how close to the limit it gets.
 */
import { createServer, type IncomingMessage } from "node:http";
import { listenOnLoopback } from "./loopback.js";

export interface RateLimitedServerOptions {
  limit: number;
  periodMs: number;
  /** Body of accepted requests (default: a Flashduty-style `{request_id, data: []}` envelope). */
  respond?: (request: IncomingMessage) => { status: number; body: unknown };
  /** Retry-After (seconds) sent with a 429; omitted when undefined. */
  retryAfterSeconds?: number;
  /** Told the moment a request is counted, with its arrival time (performance.now, as in `acceptedAt`). */
  onAccepted?: (at: number) => void;
}

export interface RateLimitedServer {
  readonly url: string;
  readonly accepted: number;
  readonly rejected: number;
  /** Arrival times (ms, performance.now) of accepted requests. */
  readonly acceptedAt: readonly number[];
  reset(): void;
  close(): Promise<void>;
}

export async function startRateLimitedServer(options: RateLimitedServerOptions): Promise<RateLimitedServer> {
  const acceptedAt: number[] = [];
  let rejected = 0;
  let windowStart = 0; // index of the oldest accepted request still inside the window
  const respond = options.respond ?? (() => ({ status: 200, body: { request_id: "rl", data: [] } }));

  const server = createServer((req, res) => {
    const now = performance.now();
    while (windowStart < acceptedAt.length && acceptedAt[windowStart]! <= now - options.periodMs) windowStart++;
    const inWindow = acceptedAt.length - windowStart;
    req.resume();
    if (inWindow >= options.limit) {
      rejected++;
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (options.retryAfterSeconds !== undefined) headers["retry-after"] = String(options.retryAfterSeconds);
      res.writeHead(429, headers);
      res.end(JSON.stringify({ request_id: "rl", error: { code: "RequestTooFrequently", message: "rate limit exceeded" } }));
      return;
    }
    acceptedAt.push(now);
    options.onAccepted?.(now);
    const { status, body } = respond(req);
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  });
  const { url, close } = await listenOnLoopback(server);

  return {
    url,
    get accepted() {
      return acceptedAt.length;
    },
    get rejected() {
      return rejected;
    },
    acceptedAt,
    reset() {
      acceptedAt.length = 0;
      windowStart = 0;
      rejected = 0;
    },
    close,
  };
}
