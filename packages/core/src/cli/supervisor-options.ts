import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { AnyserverError } from "../errors.ts";
import { DEFAULT_TIMEOUT_MS, type SupervisorOptions } from "../supervisor/options.ts";
import { type ParsedArgs, parseDuration, parseSize } from "./args.ts";

type Values = ParsedArgs["values"];

/** Below this, a Node.js worker at rest is already over the limit and would be replaced forever. */
const MIN_MAX_MEMORY = 64 * 1024 ** 2;

/**
 * The supervisor's options from the flags and environment, or `undefined` to serve from this one
 * process: a supervisor runs with `-w` or `$WEB_CONCURRENCY`, or when a flag only it can honour is given.
 */
export function supervisionFrom(
  values: Values,
  env: NodeJS.ProcessEnv,
  cwd: string,
  gracefulTimeout: number,
): SupervisorOptions | undefined {
  const workers =
    values.workers !== undefined
      ? parseWorkers(values.workers, "-w")
      : env.WEB_CONCURRENCY
        ? parseWorkers(env.WEB_CONCURRENCY, "$WEB_CONCURRENCY")
        : undefined;
  const timeout = values.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseTimeout(values.timeout);
  const maxRequests = count(values["max-requests"], "--max-requests");
  const maxRequestsJitter = count(values["max-requests-jitter"], "--max-requests-jitter");
  if (maxRequestsJitter && !maxRequests) {
    throw new AnyserverError("--max-requests-jitter needs --max-requests N: add e.g. --max-requests 1000.");
  }
  const maxMemory = values["max-memory"] === undefined ? 0 : parseMaxMemory(values["max-memory"]);
  const pidFile = values.pid === undefined ? undefined : resolve(cwd, values.pid);
  const wanted = workers !== undefined || values.timeout !== undefined || maxRequests || maxMemory || pidFile;
  if (!wanted) return undefined;
  return {
    workers: workers ?? 1,
    timeout,
    maxRequests,
    maxRequestsJitter,
    maxMemory,
    gracefulTimeout,
    pidFile,
  };
}

/** The `--health` path, checked. */
export function healthPathFrom(values: Values): string | undefined {
  const path = values.health;
  if (path === undefined) return undefined;
  if (!/^\/[^\s?#]*$/.test(path)) {
    throw new AnyserverError(
      `Invalid --health "${path}": use a path starting with /, e.g. --health /healthz.`,
    );
  }
  return path;
}

function parseWorkers(value: string, source: string): number {
  if (value === "auto") return availableParallelism();
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new AnyserverError(
      `Invalid ${source} "${value}": use a whole number of workers, 1 or more, or auto (one per CPU).`,
    );
  }
  return Number(value);
}

function parseTimeout(value: string): number {
  const timeout = parseDuration(value, "--timeout");
  if (timeout > 0 && timeout < 1000) {
    throw new AnyserverError(
      `Invalid --timeout "${value}": use 0 (never) or at least 1s, e.g. --timeout 30.`,
    );
  }
  return timeout;
}

function count(value: string | undefined, flag: string): number {
  if (value === undefined) return 0;
  if (!/^\d+$/.test(value)) {
    throw new AnyserverError(`Invalid ${flag} "${value}": use a whole number of requests (0 = never).`);
  }
  return Number(value);
}

function parseMaxMemory(value: string): number {
  const bytes = parseSize(value, "--max-memory");
  if (bytes > 0 && bytes < MIN_MAX_MEMORY) {
    throw new AnyserverError(
      `Invalid --max-memory "${value}": a Node.js worker uses about 50 MB at rest; use 64mb or more, e.g. --max-memory 512mb.`,
    );
  }
  return bytes;
}
