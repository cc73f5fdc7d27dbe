import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** A package found in a project's node_modules: its folder, manifest and ESM entry file. */
export interface ResolvedPackage {
  dir: string;
  manifest: {
    name: string;
    version: string;
    keywords?: string[];
    exports?: unknown;
    module?: string;
    main?: string;
  };
  entry: string;
}

/**
 * Find `name` the way Node would from a file in `fromDir` (walking up node_modules), and
 * its ESM entry from `exports["."]` (import > node > default), `module` or `main`.
 */
export function resolvePackage(name: string, fromDir: string): ResolvedPackage | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const packageDir = join(dir, "node_modules", name);
    const manifestPath = join(packageDir, "package.json");
    if (existsSync(manifestPath)) {
      const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
      const target = exportTarget(manifest.exports) ?? manifest.module ?? manifest.main ?? "index.js";
      return { dir: packageDir, manifest, entry: join(packageDir, target) };
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function exportTarget(exports: unknown): string | undefined {
  if (typeof exports === "string") return exports;
  if (!exports || typeof exports !== "object") return undefined;
  const map = exports as Record<string, unknown>;
  const root = Object.keys(map).some((key) => key.startsWith(".")) ? map["."] : map;
  return conditionTarget(root);
}

function conditionTarget(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return conditionTarget(value[0]);
  if (!value || typeof value !== "object") return undefined;
  const conditions = value as Record<string, unknown>;
  for (const key of ["import", "node", "default"]) {
    const found = conditionTarget(conditions[key]);
    if (found) return found;
  }
  return undefined;
}
