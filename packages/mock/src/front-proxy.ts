/**
 * A small HTTP proxy in front of Prism that plays scenarios Prism cannot (a 429 with Retry-After on
 * the next call, a hang, a slow answer, a dropped connection) and passes every other request through.
 * It also serves the control endpoint `/__o11ykit/scenarios`, so tests in other processes (vitest
 * workers) can set scenarios on a mock started by a global setup.
 */
import http from "node:http";
import { errorAnswer } from "./error-bodies.js";
import { listenOnLoopback } from "./loopback.js";
import type { Spec } from "./providers.js";
import { operationFor } from "./providers.js";
import { ScenarioBook, type ScenarioRule } from "./scenarios.js";

export const CONTROL_PATH = "/__o11ykit/scenarios";

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFrontProxy(spec: Spec, upstream: string, port?: number) {
  const book = new ScenarioBook(spec);
  const held = new Set<http.ServerResponse>();
  const target = new URL(upstream);

  function forward(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) {
    const upstreamReq = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstreamReq.on("error", (error) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`o11ykit mock: Prism is unreachable (${error.message})`);
    });
    upstreamReq.end(body);
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://mock.invalid");
    const body = await readBody(req);
    if (url.pathname === CONTROL_PATH) {
      try {
        if (req.method === "DELETE") book.clear();
        else if (req.method === "POST") book.add(JSON.parse(body.toString("utf8")) as ScenarioRule);
        else throw new Error(`use POST to add a scenario or DELETE to clear them`);
        res.writeHead(204).end();
      } catch (error) {
        res.writeHead(400, { "content-type": "text/plain" }).end((error as Error).message);
      }
      return;
    }
    const rule = book.take(req.method ?? "GET", url.pathname);
    if (!rule) return forward(req, body, res);
    const answer = rule.respond;
    if (answer.kind === "drop") {
      req.socket.destroy();
    } else if (answer.kind === "hang") {
      held.add(res);
      res.on("close", () => held.delete(res));
    } else if (answer.kind === "slow") {
      const timer = setTimeout(() => forward(req, body, res), answer.delayMs);
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
