import { existsSync, readFileSync } from "node:fs";
import { dirname, extname, isAbsolute, relative, resolve } from "node:path";
import { AnyserverError } from "../errors.ts";
import { serveOptions } from "./args.ts";
import { importModule } from "./load-entry.ts";

/** Where `anyserver serve` and `reload` look for a config file when `--config` is not given, in order. */
export const CONFIG_FILES = [
  "anyserver.config.ts",
  "anyserver.config.mts",
  "anyserver.config.js",
  "anyserver.config.mjs",
  "anyserver.config.json",
];

// Flags that are not settings: what the command line alone may say.
const NOT_SETTINGS = new Set(["help", "version", "config"]);
// Settings the environment gives too, and wins for ($PORT from a platform, $WEB_CONCURRENCY from a PaaS).
const ENVIRONMENT: Record<string, string> = { port: "PORT", workers: "WEB_CONCURRENCY" };
// A `true` for these flags means their value-less form: stdout, /metrics.
const OPTIONAL_VALUE: Record<string, string> = { log: "-", metrics: "/metrics" };
// Settings naming files and folders: relative to the config file, wherever anyserver runs from.
const PATHS = new Set(["entry", "socket", "tls-cert", "tls-key", "pid", "log", "profiler"]);

type Settings = Record<string, unknown>;

/** What a config file adds to the command line: flags to parse before the user's, and the entry. */
export interface ConfigArgs {
  args: string[];
  entry: string | undefined;
  /** The file as the user would name it (`anyserver.config.json`). */
  label?: string;
  /** Each flag the file set (`graceful-timeout`), with its setting's name there (`gracefulTimeout`). */
  flags?: Map<string, string>;
}

/**
 * The config file's settings as command-line flags, placed before the user's own so that flags
 * win (a later value of a flag replaces an earlier one), then the environment, then the file, then
 * the defaults. Keys are the long flags in camelCase (`gracefulTimeout`), plus `entry`.
 */
export async function configArgs(
  argv: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  dropped: ReadonlySet<string> = new Set(),
): Promise<ConfigArgs> {
  const path = dropped.has("config") ? undefined : configPath(argv, cwd);
  if (!path) return { args: [], entry: undefined };
  const label = relative(cwd, path) || path;
  const settings = await readSettings(path, label, cwd);
  const fromFile = (flag: string, value: string) => relativeToFile(flag, value, dirname(path));
  const args: string[] = [];
  const flags = new Map<string, string>();
  let entry: string | undefined;
  for (const [key, value] of Object.entries(settings)) {
    if (dropped.has(key)) continue;
    if (key === "entry") {
      entry = fromFile(key, stringSetting(key, value, label));
      continue;
    }
    const flag = key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
    const option = (serveOptions as Record<string, { type: string }>)[flag];
    if (!option || NOT_SETTINGS.has(flag) || key.includes("-")) throw unknownSetting(key, label);
    if (ENVIRONMENT[flag] && env[ENVIRONMENT[flag]] !== undefined) continue;
    flags.set(flag, key);
    if (option.type === "boolean") {
      if (typeof value !== "boolean") throw badSetting(key, value, label, "true or false");
      if (value) args.push(`--${flag}`);
    } else if (value === false) continue;
    else if (value === true && OPTIONAL_VALUE[flag]) args.push(`--${flag}=${OPTIONAL_VALUE[flag]}`);
    else args.push(`--${flag}=${fromFile(flag, stringSetting(key, value, label))}`);
  }
  return { args, entry, label, flags };
}

/**
 * An error about a value the config file set (and the command line did not), with where to fix it:
 * `Invalid --graceful-timeout "5 minutes": use … It is set in anyserver.config.json ("gracefulTimeout").`
 */
export function pointToFile(error: unknown, config: ConfigArgs, given: Record<string, unknown>): unknown {
  if (!(error instanceof AnyserverError) || !config.flags) return error;
  for (const [flag, key] of config.flags) {
    if (given[flag] !== undefined) continue;
    const short = (serveOptions as Record<string, { short?: string }>)[flag].short;
    const names = short ? `--${flag}|-${short}` : `--${flag}`;
    if (new RegExp(`(^|[\\s(])(${names})(?=[\\s)"':,.]|$)`).test(error.message)) {
      return new AnyserverError(`${error.message} It is set in ${config.label} ("${key}").`, error.code);
    }
  }
  return error;
}

/**
 * A path setting resolved against the config file's folder (`-` is stdout for `log`); `server` too
 * when it is a path to an adapter module (`./adapters/mine.js`) rather than a name.
 */
function relativeToFile(flag: string, value: string, folder: string): string {
  const isPath = PATHS.has(flag) ? value !== "-" : flag === "server" && /^\.\.?\//.test(value);
  return isPath && !isAbsolute(value) ? resolve(folder, value) : value;
}

/**
 * `--no-NAME` flags, which drop setting NAME (camelCase) of the config file so its default applies
 * (`--no-trust-proxy`, `--no-workers`), and `--no-config` (`config`: no file at all), taken out of
 * argv; other `--no-…` stay for the parser to refuse.
 */
export function settingsDropped(argv: string[]): { argv: string[]; dropped: Set<string> } {
  const dropped = new Set<string>();
  const end = argv.includes("--") ? argv.indexOf("--") : argv.length;
  const kept = argv.filter((arg, i) => {
    const flag = i < end && arg.startsWith("--no-") ? arg.slice(5) : undefined;
    if (!flag || !(flag in serveOptions) || (NOT_SETTINGS.has(flag) && flag !== "config")) return true;
    dropped.add(settingName(flag));
    return false;
  });
  if (
    dropped.has("config") &&
    argv.slice(0, end).some((arg) => arg === "--config" || arg.startsWith("--config="))
  ) {
    throw new AnyserverError("--config FILE and --no-config contradict each other: keep one.");
  }
  return { argv: kept, dropped };
}

/** `--config FILE` (or `--config=FILE`) from argv, else the first default config file in `cwd`. */
function configPath(argv: string[], cwd: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--") break;
    const given =
      argv[i] === "--config" ? argv[i + 1] : argv[i].startsWith("--config=") ? argv[i].slice(9) : null;
    if (given === null) continue;
    if (!given || given.startsWith("-")) throw new AnyserverError("Option --config needs a file.");
    const path = resolve(cwd, given);
    if (!existsSync(path)) {
      throw new AnyserverError(`Config file "${given}" not found (looked at ${path}). Check the path.`);
    }
    return path;
  }
  return CONFIG_FILES.map((name) => resolve(cwd, name)).find((path) => existsSync(path));
}

async function readSettings(path: string, label: string, cwd: string): Promise<Settings> {
  let settings: unknown;
  if (extname(path) === ".json") {
    try {
      settings = JSON.parse(readFileSync(path, "utf8"));
    } catch (error) {
      throw new AnyserverError(`${label} is not valid JSON: ${(error as Error).message}. Fix the file.`);
    }
  } else {
    settings = (await importModule(path, label, cwd)).default;
    // A .ts config outside a "type": "module" package is compiled to CommonJS: its default arrives wrapped.
    if (isObject(settings) && Object.keys(settings).join() === "default") settings = settings.default;
  }
  if (!isObject(settings)) {
    const example = extname(path) === ".json" ? '{ "port": 8080 }' : "export default { port: 8080 }";
    throw new AnyserverError(`${label} must hold an object of settings, like ${example}.`);
  }
  return settings as Settings;
}

/** A long flag's name in a config file: `graceful-timeout` is `gracefulTimeout`. */
function settingName(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function isObject(value: unknown): value is Settings {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A flag's value: a string, a number, or a list (joined with commas, as `--metrics-allow` takes). */
function stringSetting(key: string, value: unknown, label: string): string {
  if (typeof value === "string" || (typeof value === "number" && Number.isFinite(value)))
    return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value.join(",");
  throw badSetting(key, value, label, "a string or a number");
}

function badSetting(key: string, value: unknown, label: string, wanted: string): AnyserverError {
  return new AnyserverError(`Invalid "${key}" in ${label}: use ${wanted} (got ${JSON.stringify(value)}).`);
}

function unknownSetting(key: string, label: string): AnyserverError {
  const known = Object.keys(serveOptions)
    .filter((flag) => !NOT_SETTINGS.has(flag))
    .map(settingName);
  return new AnyserverError(
    `Unknown setting "${key}" in ${label}. Settings are entry and the long flags of anyserver serve in camelCase: ${known.join(", ")}.`,
  );
}
