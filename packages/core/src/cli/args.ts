import { parseArgs } from "node:util";
import { AnyserverError } from "../errors.ts";
import { withOptionalValues } from "./optional-values.ts";

/** The options of `anyserver serve`, as typed on the command line. */
export const serveOptions = {
  server: { type: "string", short: "s" },
  ip: { type: "string", short: "i" },
  host: { type: "string" },
  port: { type: "string", short: "p" },
  socket: { type: "string" },
  "tls-cert": { type: "string" },
  "tls-key": { type: "string" },
  http2: { type: "boolean" },
  "trust-proxy": { type: "boolean" },
  "graceful-timeout": { type: "string" },
  "body-limit": { type: "string" },
  watch: { type: "boolean" },
  workers: { type: "string", short: "w" },
  timeout: { type: "string" },
  "max-requests": { type: "string" },
  "max-requests-jitter": { type: "string" },
  "max-memory": { type: "string" },
  health: { type: "string" },
  pid: { type: "string" },
  log: { type: "string", short: "l" },
  "log-format": { type: "string" },
  "log-level": { type: "string" },
  quiet: { type: "boolean", short: "q" },
  metrics: { type: "string" },
  "metrics-allow": { type: "string" },
  profiler: { type: "string", short: "P" },
  "profiler-path": { type: "string" },
  "profiler-allow": { type: "string" },
  config: { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

export type ParsedArgs = ReturnType<typeof parse>;

/** Parse argv (without node and script), turning parseArgs' errors into one actionable line. */
export function parse(argv: string[]) {
  try {
    return parseArgs({
      args: withOptionalValues(argv),
      options: serveOptions,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message);
    if (unknown)
      throw new AnyserverError(`Unknown option ${unknown[1]}. Run "anyserver --help" to see the options.`);
    const missing = /Option '([^']+)' argument missing/.exec(message);
    if (missing) throw new AnyserverError(`Option ${missing[1].replace(/ <value>$/, "")} needs a value.`);
    throw new AnyserverError(`${message.split(".")[0]}. Run "anyserver --help" to see the options.`);
  }
}

/** A port from a flag or $PORT: a whole number from 0 to 65535. */
export function parsePort(value: string, source: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new AnyserverError(
      `Invalid port "${value}" (${source}): use a whole number from 0 to 65535.`,
      "BAD_PORT",
    );
  }
  return port;
}

/** A duration in milliseconds from "30s", "500ms", "2m" or a bare number of seconds. */
export function parseDuration(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value);
  if (!match) throw new AnyserverError(`Invalid ${flag} "${value}": use seconds (30), or 30s, 500ms, 2m.`);
  const unit = match[2] ?? "s";
  return Number(match[1]) * (unit === "ms" ? 1 : unit === "s" ? 1000 : 60_000);
}

/** A size in bytes from "1mb", "512kb", "100" (bytes). */
export function parseSize(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(value);
  if (!match) throw new AnyserverError(`Invalid ${flag} "${value}": use bytes (1048576) or 512kb, 1mb, 1gb.`);
  const unit = (match[2] ?? "b").toLowerCase();
  const scale = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[unit]!;
  return Math.floor(Number(match[1]) * scale);
}
