/**
 * A small HTTP proxy in front of Prism that plays scenarios Prism cannot (a 429 with Retry-After on
 * the next call, a hang, a slow answer, a dropped connection) and passes every other request to Prism.
 * What Prism answers is then finished here: a rejected request gets the provider's error body naming
 * what was wrong (not the spec's canned example), and in stateful mode an accepted CRUD request is
 * answered from the mock's state. It also serves the control endpoints `/__o11ykit/scenarios` and
 * `/__o11ykit/state`, so tests in other processes (vitest workers) can drive a mock started elsewhere.
 */
import http from "node:http";
import { errorAnswer } from "./error-bodies.js";
import { listenOnLoopback } from "./loopback.js";
import type { Spec } from "./providers.js";
import { operationFor } from "./providers.js";
import { ScenarioBook, type ScenarioRule } from "./scenarios.js";
import type { MockState, PrismAnswer, StateFixture } from "./state.js";
import { explainRejection } from "./violations.js";

export const CONTROL_PATH = "/__o11ykit/scenarios";
export const STATE_PATH = "/__o11ykit/state";

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(buffer: Buffer): unknown {
  if (buffer.length === 0) return undefined;
  try {
    return JSON.parse(buffer.toString("utf8"));
  } catch {
    return undefined;
  }
}

function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(", ") : v]])));
}

export async function startFrontProxy(spec: Spec, upstream: string, port?: number, state?: MockState) {
  const book = new ScenarioBook(spec);
  const held = new Set<http.ServerResponse>();
  const target = new URL(upstream);

  function askPrism(req: http.IncomingMessage, body: Buffer): Promise<PrismAnswer> {
    return new Promise((resolve, reject) => {
      const upstreamReq = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (upstreamRes) => {
          const chunks: Buffer[] = [];
          upstreamRes.on("data", (chunk: Buffer) => chunks.push(chunk));
          upstreamRes.on("end", () => resolve({ status: upstreamRes.statusCode ?? 502, headers: flatHeaders(upstreamRes.headers), body: Buffer.concat(chunks).toString("utf8") }));
          upstreamRes.on("error", reject);
        },
      );
      upstreamReq.on("error", reject);
      upstreamReq.end(body);
    });
  }

  /** Prism validates and answers; a rejection is explained, an accepted CRUD call is answered from state. */
  async function forward(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) {
    let answer: PrismAnswer;
    try {
      answer = await askPrism(req, body);
    } catch (error) {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`o11ykit mock: Prism is unreachable (${(error as Error).message})`);
      return;
    }
    const url = new URL(req.url ?? "/", "http://mock.invalid");
    const method = req.method ?? "GET";
    const operation = operationFor(spec, method, url.pathname)?.key;
    const parsedBody = parseJson(body);
    if (answer.status >= 400 && answer.headers["sl-violations"]) {
      const message = explainRejection(spec, operation, answer.headers["sl-violations"], parsedBody);
      if (message) {
        const error = errorAnswer(spec, operation, answer.status, undefined, message);
        res.writeHead(error.status, { ...error.headers, "content-type": error.contentType, "sl-violations": answer.headers["sl-violations"] }).end(error.body);
        return;
      }
    }
    if (state && answer.status >= 200 && answer.status < 300) {
      try {
        const stateful = state.answer({ method, path: url.pathname, query: url.searchParams, body: parsedBody }, answer);
        if (stateful) answer = stateful;
      } catch (error) {
        answer = { status: 500, headers: { "content-type": "text/plain" }, body: `o11ykit mock: the stateful answer failed: ${(error as Error).stack}` };
      }
    }
    const headers = Object.fromEntries(Object.entries(answer.headers).filter(([k]) => !["content-length", "transfer-encoding", "connection", "keep-alive"].includes(k)));
    res.writeHead(answer.status, headers).end(answer.body);
  }

  function control(req: http.IncomingMessage, path: string, body: Buffer, res: http.ServerResponse): void {
    try {
      if (path === CONTROL_PATH) {
        if (req.method === "DELETE") book.clear();
        else if (req.method === "POST") book.add(JSON.parse(body.toString("utf8")) as ScenarioRule);
        else throw new Error(`use POST to add a scenario or DELETE to clear them`);
        res.writeHead(204).end();
        return;
      }
      if (!state) {
        // Resetting a stateless mock is a no-op, so shared test hooks work on either kind.
        if (req.method === "DELETE") return void res.writeHead(204).end();
        res.writeHead(409, { "content-type": "text/plain" }).end("this mock is not stateful: start it with { stateful: true } (CLI: --stateful, vitest: O11YKIT_MOCKS_STATEFUL=1)");
        return;
      }
      if (req.method === "GET") res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(state.snapshot()));
      else if (req.method === "DELETE") (state.reset(), res.writeHead(204).end());
      else if (req.method === "POST") (state.seed(JSON.parse(body.toString("utf8")) as StateFixture), res.writeHead(204).end());
      else throw new Error(`use GET to read the state, POST to seed it, DELETE to reset it`);
    } catch (error) {
      res.writeHead(400, { "content-type": "text/plain" }).end((error as Error).message);
    }
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://mock.invalid");
    const body = await readBody(req);
    if (url.pathname === CONTROL_PATH || url.pathname === STATE_PATH) return control(req, url.pathname, body, res);
    const rule = book.take(req.method ?? "GET", url.pathname);
    if (!rule) return void forward(req, body, res);
    const answer = rule.respond;
    if (answer.kind === "drop") {
      req.socket.destroy();
    } else if (answer.kind === "hang") {
      held.add(res);
      res.on("close", () => held.delete(res));
    } else if (answer.kind === "slow") {
      const timer = setTimeout(() => void forward(req, body, res), answer.delayMs);
      res.on("close", () => clearTimeout(timer));
    } else {
      const error = errorAnswer(spec, rule.operation ?? operationFor(spec, req.method ?? "GET", url.pathname)?.key, answer.status, answer.code, answer.message);
      const headers: Record<string, string> = { "content-type": error.contentType, ...error.headers };
      if (answer.retryAfter !== undefined) headers["retry-after"] = String(answer.retryAfter);
      res.writeHead(error.status, headers).end(error.body);
    }
  });

  const listening = await listenOnLoopback(server, port);
  return {
    url: listening.url,
    book,
    async close() {
      for (const res of held) res.destroy();
      await listening.close();
    },
  };
}
