import { existsSync } from "node:fs";
import { extname, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { AnyserverError } from "../errors.ts";
import type { App } from "../types.ts";
import { loadFailure } from "./load-failure.ts";

/** Where `anyserver serve` looks when no entry is given, in order. */
export const DEFAULT_ENTRIES = [
  "app.ts",
  "app.mts",
  "app.js",
  "app.mjs",
  "src/app.ts",
  "src/app.js",
  "server.ts",
  "server.js",
];

const TYPESCRIPT = new Set([".ts", ".mts", ".cts", ".tsx"]);

/** The entry's absolute path: the given one, or the first default entry found in `cwd`. */
export function findEntry(entry: string | undefined, cwd: string): string {
  if (entry !== undefined) {
    const path = resolve(cwd, entry);
    if (!existsSync(path)) {
      throw new AnyserverError(
        `Entry file "${entry}" not found (looked at ${path}). Check the path to your app.`,
        "ENTRY_NOT_FOUND",
      );
    }
    return path;
  }
  const found = DEFAULT_ENTRIES.map((name) => resolve(cwd, name)).find((path) => existsSync(path));
  if (!found) {
    throw new AnyserverError(
      `No entry file given and none of ${DEFAULT_ENTRIES.join(", ")} exists in ${cwd}. Run: anyserver serve path/to/app.ts`,
      "ENTRY_NOT_FOUND",
    );
  }
  return found;
}

/** Import the entry (TypeScript through tsx) and take its app: default export, or a named `fetch`. */
export async function loadApp(path: string, cwd: string): Promise<App> {
  const label = relative(cwd, path) || path;
  const module = await importModule(path, label, cwd);
  const app = pickApp(module) ?? pickApp((module.default ?? {}) as Record<string, unknown>);
  if (!app) {
    throw new AnyserverError(
      `"${label}" exports no fetch handler. Export default { fetch(request) { … } }, a function, or a named "fetch" function.`,
      "NO_FETCH_EXPORT",
    );
  }
  return app;
}

/** Import a module of the user's (TypeScript through tsx); a failure is one line saying where. */
export async function importModule(
  path: string,
  label: string,
  cwd: string,
): Promise<Record<string, unknown>> {
  const viaTsx = TYPESCRIPT.has(extname(path));
  try {
    return viaTsx
      ? await (await import("tsx/esm/api")).tsImport(pathToFileURL(path).href, import.meta.url)
      : await import(pathToFileURL(path).href);
  } catch (error) {
    const reason = loadFailure(error, path, cwd, viaTsx);
    throw new AnyserverError(`Loading "${label}" failed: ${reason}`, "ENTRY_FAILED");
  }
}

function pickApp(module: Record<string, unknown>): App | undefined {
  const main = module.default;
  if (typeof main === "function") return main as App;
  if (main && typeof (main as { fetch?: unknown }).fetch === "function") return main as App;
  if (typeof module.fetch === "function") return module.fetch as App;
  return undefined;
}
