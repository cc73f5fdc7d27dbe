import { accessSync, closeSync, constants, mkdirSync, openSync } from "node:fs";
import { resolve } from "node:path";
import { AnyserverError } from "../errors.ts";
import { type AllowList, clientFilter } from "../observe/allow.ts";
import { LOG_FORMATS } from "../observe/formats.ts";
import type { ObserveOptions } from "../observe/observe.ts";
import { LOG_LEVELS, type LogLevel, type ServerLoggerOptions } from "../server-logger.ts";
import type { ParsedArgs } from "./args.ts";

type Values = ParsedArgs["values"];

/** What `-l`, `--metrics`, `-P` and the log flags ask for, checked before anything starts. */
export interface ObserveFlags {
  /** Undefined when nothing is observed: the app is served untouched. */
  observe: ObserveOptions | undefined;
  serverLog: ServerLoggerOptions;
  /** The access log file, when `-l FILE` (SIGUSR1 reopens it). */
  logFile?: string;
}

const PATH = /^\/[^\s?#]*$/;

export function observeFlagsFrom(values: Values, cwd: string): ObserveFlags {
  const format = oneOf(values["log-format"], LOG_FORMATS, "--log-format", "combined");
  const serverLog: ServerLoggerOptions = {
    format: format === "json" ? "json" : "text",
    level: levelFrom(values),
  };
  const logFile = values.log === undefined || values.log === "-" ? undefined : resolve(cwd, values.log);
  if (values["log-format"] && format !== "json" && values.log === undefined) {
    throw new AnyserverError(
      `--log-format ${format} is the access log's format: add -l (stdout) or -l FILE.`,
    );
  }
  if (logFile) assertAppendable(logFile, values.log!);
  const observe: ObserveOptions = {};
  if (values.log !== undefined) observe.accessLog = { file: logFile, format };
  const metricsPath = values.metrics;
  if (metricsPath !== undefined) {
    if (!PATH.test(metricsPath))
      throw new AnyserverError(
        `Invalid --metrics "${metricsPath}": use a path starting with /, e.g. --metrics /metrics.`,
      );
    observe.metrics = { path: metricsPath, allow: allowList(values["metrics-allow"], "--metrics-allow") };
  } else requires(values["metrics-allow"], "--metrics-allow", "--metrics");
  if (values.profiler !== undefined) {
    const path = values["profiler-path"] ?? "/__profile__";
    if (!PATH.test(path))
      throw new AnyserverError(
        `Invalid --profiler-path "${path}": use a path starting with /, e.g. /__profile__.`,
      );
    if (path === metricsPath)
      throw new AnyserverError(`--profiler-path and --metrics are both ${path}: give them different paths.`);
    observe.profiler = {
      dir: profileDir(values.profiler, cwd),
      path,
      allow: allowList(values["profiler-allow"], "--profiler-allow"),
    };
  } else {
    requires(values["profiler-path"], "--profiler-path", "-P DIR");
    requires(values["profiler-allow"], "--profiler-allow", "-P DIR");
  }
  const any = observe.accessLog || observe.metrics || observe.profiler;
  return { observe: any ? observe : undefined, serverLog, logFile };
}

function levelFrom(values: Values): LogLevel {
  if (values.quiet && values["log-level"] !== undefined) {
    throw new AnyserverError("--quiet and --log-level both set how much is logged: keep one.");
  }
  return values.quiet ? "warn" : oneOf(values["log-level"], LOG_LEVELS, "--log-level", "info");
}

function oneOf<T extends string>(
  value: string | undefined,
  choices: readonly T[],
  flag: string,
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!choices.includes(value as T))
    throw new AnyserverError(`Invalid ${flag} "${value}": use ${choices.join(", ")}.`);
  return value as T;
}

function allowList(value: string | undefined, flag: string): AllowList {
  if (value === undefined) return [];
  const list: AllowList =
    value.trim() === "any"
      ? "any"
      : value
          .split(",")
          .map((entry) => entry.trim())
          .filter(Boolean);
  clientFilter(list, flag);
  return list;
}

function requires(value: unknown, flag: string, needed: string): void {
  if (value !== undefined) throw new AnyserverError(`${flag} needs ${needed}: add it, or drop ${flag}.`);
}

/** The access log must be writable before any worker starts: one clear line instead of a crash loop. */
function assertAppendable(path: string, given: string): void {
  try {
    closeSync(openSync(path, "a"));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new AnyserverError(
      `Cannot open the access log "${given}" (${reason}). Check the folder exists and is writable.`,
    );
  }
}

function profileDir(dir: string, cwd: string): string {
  if (dir.trim() === "") throw new AnyserverError("-P needs a folder for the profiles, e.g. -P profiles/.");
  const path = resolve(cwd, dir);
  try {
    mkdirSync(path, { recursive: true });
    accessSync(path, constants.W_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new AnyserverError(
      `Cannot write profiles to "${dir}" (${reason}). Choose a writable folder with -P.`,
    );
  }
  return path;
}
