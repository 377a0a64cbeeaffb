/**
 * A scripted loopback HTTP server for tests: your handler answers each request, and every request
 * (method, URL, headers, body, arrival time) is recorded, so a test can assert what the client sent,
 * including what its retries sent.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import { listenOnLoopback } from "./loopback.js";

export interface RecordedRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Arrival time (Date.now()). */
  at: number;
}

export type ScriptedHandler = (request: RecordedRequest, response: ServerResponse, index: number) => void | Promise<void>;

export interface RecordingServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startRecordingServer(handler: ScriptedHandler): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const recorded = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, at: Date.now() };
    requests.push(recorded);
    await handler(recorded, res, requests.length - 1);
  });
  const { url, close } = await listenOnLoopback(server);
  return { url, requests, close };
}

/** Answers with a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
