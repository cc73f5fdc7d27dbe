import { defaultLogger } from "./logger.ts";
import type { Logger } from "./types.ts";

/** How much the server says: each level includes the ones before it. */
export const LOG_LEVELS = ["silent", "error", "warn", "info"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServerLoggerOptions {
  /**
   * `text`: `[anyserver] message` lines; `json`: one JSON object per line (pino) with level, time, pid.
   * @default "text"
   */
  format?: "text" | "json";
  /** @default "info" */
  level?: LogLevel;
}

/** The server's own lines (start, ready, workers, errors) on stderr, as text or JSON. */
export async function createServerLogger(options: ServerLoggerOptions = {}): Promise<Logger> {
  const level = options.level ?? "info";
  const base = options.format === "json" ? await jsonLogger() : defaultLogger;
  const rank = LOG_LEVELS.indexOf(level);
  const quiet = () => {};
  return {
    info: rank >= 3 ? base.info : quiet,
    warn: rank >= 2 ? base.warn : quiet,
    error: rank >= 1 ? base.error : quiet,
  };
}

/** pino, loaded only for this format, writing synchronously to stderr so no line is lost at exit. */
async function jsonLogger(): Promise<Logger> {
  const { pino } = await import("pino");
  const logger = pino(
    {
      base: { pid: process.pid, type: "server" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ dest: 2, sync: true }),
  );
  return {
    info: (message) => logger.info(message),
    warn: (message) => logger.warn(message),
    error: (message) => logger.error(message),
  };
}
