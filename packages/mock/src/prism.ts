/**
 * Starts a Prism mock server for an OpenAPI document on a loopback port, with request validation on,
 * and stops it cleanly: `close()` resolves only once the child process has exited.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./free-port.js";
import { sharedPrism } from "./shared-prism.js";

export interface PrismOptions {
  /** Path to the OpenAPI document (JSON or YAML). */
  spec: string;
  /** Port to listen on; default: a free port chosen now. */
  port?: number;
  host?: string;
  /** Generate data from the schemas instead of answering with the spec's examples. */
  dynamic?: boolean;
  /** Answer requests that violate the spec with errors (Prism's `--errors`). */
  errors?: boolean;
  /** Give up if Prism is not listening after this long (ms). */
  startTimeoutMs?: number;
  /**
   * Proxy mode: forward every request to this real API and check requests and responses against the
   * spec (Prism reports violations in its output and in `sl-violations` headers) instead of mocking.
   */
  upstream?: string;
  /**
   * Use the Prism that the test run shares for this document, if it has one (the shared-Prism setup,
   * `@o11ykit/mock/vitest-shared-prism`, starts them); its `close()` then leaves it running. A
   * `dynamic`, `errors` or proxy Prism, or one on a given `port`, is always started anew.
   */
  share?: boolean;
}

export interface PrismServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Prism's latest output (at least its last 64 K characters), for diagnosing a failed test. */
  readonly output: () => string;
  close(): Promise<void>;
}

function prismBin(): string {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve("@stoplight/prism-cli/package.json");
  const bin = (require(pkgJson) as { bin: string | Record<string, string> }).bin;
  return path.join(path.dirname(pkgJson), typeof bin === "string" ? bin : bin["prism"]!);
}

/** Loaded into Prism before it starts, to spare it loading every faker locale (see that file). */
const PRELOAD = fileURLToPath(new URL("../prism-preload.cjs", import.meta.url));

/** How much of Prism's output is kept, in characters: the last requests' log lines. */
const OUTPUT_KEPT = 64 * 1024;

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const killed = setTimeout(() => child.kill("SIGKILL"), 3000);
  await waitForExit(child);
  clearTimeout(killed);
}

async function startOnce(options: PrismOptions, port: number): Promise<PrismServer> {
  const host = options.host ?? "127.0.0.1";
  const args = options.upstream
    ? [prismBin(), "proxy", options.spec, options.upstream, "--host", host, "--port", String(port)]
    : [prismBin(), "mock", options.spec, "--host", host, "--port", String(port)];
  if (options.dynamic) args.push("--dynamic");
  if (options.errors) args.push("--errors");
  const child = spawn(process.execPath, ["--require", PRELOAD, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  // If this process exits without close() (a crashed test run), take Prism down with it.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));
  // Prism logs a few lines per request, for as long as it runs: only the latest are kept, and the
  // output is searched for Prism's "listening" line only until it appears.
  let output = "";
  let listening = false;
  const url = `http://${host}:${port}`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop(child);
      reject(new Error(`Prism did not start within ${options.startTimeoutMs ?? 30_000} ms for ${options.spec}:\n${output}`));
    }, options.startTimeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!listening && output.includes("Prism is listening")) {
        listening = true;
        clearTimeout(timer);
        resolve();
      }
      if (output.length > 2 * OUTPUT_KEPT) output = output.slice(-OUTPUT_KEPT);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited (code ${code}) before listening on ${url}:\n${output}`));
    });
  });
  return {
    url,
    port,
    pid: child.pid!,
    output: () => output,
    close: () => stop(child),
  };
}

export async function startPrism(options: PrismOptions): Promise<PrismServer> {
  const shared = options.share && options.port === undefined ? sharedPrism(options.spec, options) : undefined;
  if (shared) return shared;
  if (options.port !== undefined) return startOnce(options, options.port);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options, await freePort(options.host));
    } catch (error) {
      lastError = error; // most likely the port was taken between choosing and binding it
    }
  }
  throw lastError;
}
