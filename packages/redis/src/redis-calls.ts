/**
 * Every Redis call the limiter makes: a Lua script, bounded by a timeout so a Redis that went away
 * cannot hang a call. A reply that arrives after its timeout is handed to `onLate` (a grant nobody
 * waits for any more must be given back), and a late failure is swallowed, so nothing ends as an
 * unhandled rejection.
 */
import type { Cluster, Redis } from "ioredis";
import type { LuaScript } from "./scripts.js";

export type RedisClient = Redis | Cluster;

/** The two commands used, typed loosely: Redis and Cluster overload them differently. */
interface ScriptCommands {
  readonly status: string;
  evalsha(sha: string, numkeys: number, ...args: Array<string | number>): Promise<unknown>;
  eval(source: string, numkeys: number, ...args: Array<string | number>): Promise<unknown>;
}

/** ioredis statuses in which a command would only queue until a reconnect that may never come. */
const DISCONNECTED = new Set(["reconnecting", "close", "end"]);

export class RedisTimeout extends Error {
  override name = "RedisTimeout";
}

export class ScriptRunner {
  readonly #commands: ScriptCommands;
  readonly #timeoutMs: number;
  /**
   * Scripts sent once with EVAL, which also caches them in Redis; later calls send only the SHA.
   * (Not EVALSHA first: its NOSCRIPT answer would make the retry go out after commands sent
   * meanwhile, such as a QUIT, and a release or pause would be lost.)
   */
  readonly #sent = new Set<string>();

  constructor(client: RedisClient, timeoutMs: number) {
    this.#commands = client as unknown as ScriptCommands;
    this.#timeoutMs = timeoutMs;
  }

  run(script: LuaScript, keys: readonly string[], args: ReadonlyArray<string | number>, onLate?: (reply: unknown) => void): Promise<unknown> {
    const commands = this.#commands;
    // Fail fast while ioredis knows it is disconnected, rather than after the timeout.
    if (DISCONNECTED.has(commands.status)) return Promise.reject(new Error(`the Redis connection is ${commands.status}`));
    let sent: Promise<unknown>;
    try {
      if (this.#sent.has(script.sha)) {
        sent = commands.evalsha(script.sha, keys.length, ...keys, ...args).catch((error: unknown) => {
          // Redis restarted or failed over and forgot the script (or, in a cluster, this node never had it).
          if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
          return commands.eval(script.source, keys.length, ...keys, ...args);
        });
      } else {
        sent = commands.eval(script.source, keys.length, ...keys, ...args);
        this.#sent.add(script.sha);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    const timeoutMs = this.#timeoutMs;
    return new Promise((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        reject(new RedisTimeout(`Redis did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      sent.then(
        (reply) => {
          if (!timedOut) {
            clearTimeout(timer);
            resolve(reply);
          } else {
            try {
              onLate?.(reply);
            } catch {
              // Best effort: the slot lapses with its lease anyway.
            }
          }
        },
        (error: unknown) => {
          if (timedOut) return;
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}
