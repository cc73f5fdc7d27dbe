import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { AnyserverError } from "../../errors.ts";
import { parseDuration } from "../args.ts";

/** What `anyserver bench` was asked to do. */
export interface BenchOptions {
  entry: string | undefined;
  /** Server names, or undefined for every installed one. */
  servers: string[] | undefined;
  durationMs: number;
  /** Load before the measured run, not counted: lets the JIT compile the server's hot path. */
  warmupMs: number;
  connections: number;
  path: string;
  method: string;
  body: Buffer | undefined;
  headers: Record<string, string>;
  /** Folder for the JSON and HTML reports. */
  out: string;
}

const options = {
  server: { type: "string", short: "s" },
  duration: { type: "string", short: "d" },
  warmup: { type: "string" },
  connections: { type: "string", short: "c" },
  path: { type: "string" },
  method: { type: "string", short: "m" },
  body: { type: "string" },
  header: { type: "string", short: "H", multiple: true },
  out: { type: "string", short: "o" },
} as const;

/** Parse `anyserver bench` flags; every mistake is one actionable line. */
export function parseBenchOptions(argv: string[], cwd: string): BenchOptions {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; options: typeof options; allowPositionals: true }>
  >;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message.split(".")[0];
    throw new AnyserverError(`${message}. Run "anyserver --help" to see the bench options.`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1)
    throw new AnyserverError(`bench takes one entry file, got: ${positionals.join(" ")}.`);
  const connections = Number(values.connections ?? 50);
  if (!Number.isInteger(connections) || connections < 1 || connections > 10_000) {
    throw new AnyserverError(
      `Invalid --connections "${values.connections}": use a whole number from 1 to 10000.`,
    );
  }
  const durationMs = parseDuration(values.duration ?? "10s", "--duration");
  if (durationMs === 0)
    throw new AnyserverError('Invalid --duration "0": measure for at least 1ms (10s is the default).');
  const path = values.path ?? "/";
  if (!path.startsWith("/")) throw new AnyserverError(`Invalid --path "${path}": it must start with "/".`);
  return {
    entry: positionals[0],
    servers: values.server
      ?.split(",")
      .map((name) => name.trim())
      .filter(Boolean),
    durationMs,
    warmupMs: parseDuration(values.warmup ?? "2s", "--warmup"),
    connections,
    path,
    method: (values.method ?? (values.body ? "POST" : "GET")).toUpperCase(),
    body: values.body === undefined ? undefined : readBody(values.body, cwd),
    headers: Object.fromEntries((values.header ?? []).map(parseHeader)),
    out: resolve(cwd, values.out ?? "anyserver-bench"),
  };
}

function readBody(file: string, cwd: string): Buffer {
  try {
    return readFileSync(resolve(cwd, file));
  } catch {
    throw new AnyserverError(`Cannot read the --body file "${file}". Check the path.`);
  }
}

function parseHeader(header: string): [string, string] {
  const colon = header.indexOf(":");
  if (colon < 1) throw new AnyserverError(`Invalid --header "${header}": write it as "name: value".`);
  return [header.slice(0, colon).trim().toLowerCase(), header.slice(colon + 1).trim()];
}
