import { relative } from "node:path";
import { fileURLToPath } from "node:url";

// anyserver's own code: core and its sibling packages (adapters) as built (dist/) or run from
// source (src/) in the workspace; installed, they are under node_modules.
const PACKAGES = fileURLToPath(new URL("../..", import.meta.url));
const isAnyserverCode = (file: string) =>
  file.startsWith(PACKAGES) && /^[^/]+\/(dist|src)\//.test(file.slice(PACKAGES.length));

/**
 * Where in the app's own code `error` was thrown (`src/db.ts:12:9`): the first stack frame in a
 * file that is not node's, a dependency's or anyserver's. Frames of code tsx compiled to
 * CommonJS (a .ts file outside a `"type": "module"` package) are data: URLs with shifted lines:
 * none is named rather than a wrong one.
 */
export function appFrame(error: Error, cwd: string = process.cwd()): string | undefined {
  for (const line of (error.stack ?? "").split("\n")) {
    const match = /^\s+at (?:.*? \()?((?:file:\/\/)?\/[^():?]+)(?:\?[^:]*)?:(\d+):(\d+)\)?$/.exec(line);
    if (!match) continue;
    const file = match[1].startsWith("file://") ? fileURLToPath(match[1]) : match[1];
    if (!file.includes("/node_modules/") && !isAnyserverCode(file))
      return `${shownPath(file, cwd)}:${match[2]}:${match[3]}`;
  }
  return undefined;
}

/** A file URL or path as the user knows it: relative to where they ran the command when inside it. */
export function shownPath(file: string, cwd: string): string {
  const path = file.startsWith("file://") ? fileURLToPath(file) : file;
  const near = relative(cwd, path);
  return near.startsWith("..") ? path : near;
}
