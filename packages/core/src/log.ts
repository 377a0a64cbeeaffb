/**
 * The optional `logger`: what the client does, for debugging, at levels. Nothing is printed without a
 * logger. Messages are built from redacted parts only (the transport never passes a secret here).
 */

export type LogLevel = "debug" | "info" | "warn" | "error";

/** Anything with console-like level methods: `console`, or an adapter for pino/winston. */
export interface Logger {
  debug?(message: string, details?: Record<string, unknown>): void;
  info?(message: string, details?: Record<string, unknown>): void;
  warn?(message: string, details?: Record<string, unknown>): void;
  error?(message: string, details?: Record<string, unknown>): void;
}

export type Log = (level: LogLevel, message: string, details?: Record<string, unknown>) => void;

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A log function for the transport, or undefined when nothing would be printed (so nothing is built). */
export function createLog(logger: Logger | undefined, level: LogLevel = "info"): Log | undefined {
  if (!logger) return undefined;
  const threshold = RANK[level];
  return (at, message, details) => {
    if (RANK[at] < threshold) return;
    logger[at]?.(`o11ykit: ${message}`, details);
  };
}
