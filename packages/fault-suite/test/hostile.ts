/**
 * Hostile servers on loopback ports chosen at run time. Each records what reached it, so a test can
 * assert what the client sent (and what it did not send).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";

export interface Hit {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Arrival time (performance.now()). */
  at: number;
}

export interface HostileServer {
  url: string;
  origin: string;
  hits: Hit[];
  close(): Promise<void>;
}

export type Behaviour = (hit: Hit, res: http.ServerResponse, index: number, req: http.IncomingMessage) => void | Promise<void>;

const open: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

/** Starts a server on 127.0.0.1 (or another loopback address) that answers with `behaviour`. */
export async function hostile(behaviour: Behaviour, host = "127.0.0.1"): Promise<HostileServer> {
  const hits: Hit[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const hit = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, at: performance.now() };
    hits.push(hit);
    await behaviour(hit, res, hits.length - 1, req);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  // A backlog for the load test's 2,000 connections at once: with Node's default (511) the kernel drops
  // the connections that overflow it, and a client resends a dropped SYN only after 1, 3, 7, 15 s, so
  // that test took 13 to 25 s on a loaded machine and once ran past its 30 s timeout.
  await new Promise<void>((resolve) => server.listen({ port: 0, host, backlog: 4096 }, resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;
  const handle: HostileServer = {
    url: origin,
    origin,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  open.push(handle);
  return handle;
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Accepts and never answers. */
export const never: Behaviour = () => new Promise(() => undefined);

/** A Flashduty success envelope. */
export const fdOk = (data: unknown) => ({ request_id: "01JFAULTSUITE0000000000001", data });

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Forces a collection every `everyMs` while the returned stop function has not been called. */
export function gcPressure(everyMs = 50): () => void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run this test with node --expose-gc (vitest.config.ts passes it)");
  const timer = setInterval(() => gc(), everyMs);
  return () => clearInterval(timer);
}

/** Settles to "pending" if the promise has not settled within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | "pending"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Promise<"pending">((resolve) => {
    timer = setTimeout(() => resolve("pending"), ms);
  });
  try {
    return await Promise.race([promise, pending]);
  } finally {
    clearTimeout(timer);
  }
}
