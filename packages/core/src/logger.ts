import { appFrame } from "./error-location.ts";
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

/**
 * `errorLine` for what the app threw, plus where in its own code: `Error: boom (at src/app.ts:3:9)`.
 * Still one line, so logs stay grep-able; the stack's first frame that is the app's is what a
 * developer opens first.
 */
export function appErrorLine(error: unknown): string {
  const where = error instanceof Error ? appFrame(error) : undefined;
  return where ? `${errorLine(error)} (at ${where})` : errorLine(error);
}

/** The one log line of a request the app failed, the same on every server: `GET /a?b failed: Error: …`. */
export function requestFailedLine(method: string, target: string, error: unknown): string {
  return `${method} ${target} failed: ${appErrorLine(error)}`;
}
