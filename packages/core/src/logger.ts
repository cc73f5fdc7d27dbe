import type { Logger } from "./types.ts";

/** The default logger: one `[anyserver]`-prefixed line per message on stderr. */
export const defaultLogger: Logger = {
  info: (message) => process.stderr.write(`[anyserver] ${message}\n`),
  warn: (message) => process.stderr.write(`[anyserver] ${message}\n`),
  error: (message) => process.stderr.write(`[anyserver] ${message}\n`),
};

/** A logger that says nothing (tests, embedding). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** One line describing an error: its message only, never its stack. */
export function errorLine(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message.split("\n")[0]}`;
  return String(error);
}
