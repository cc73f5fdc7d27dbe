import { spawnSync } from "node:child_process";
import { relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// TypeScript entries load through tsx, whose parse errors say where (transformFailure).
const TYPESCRIPT = /\.[cm]?tsx?$/;

// This package's own files, whether installed or in the workspace: never the app's code.
const OWN_FILES = fileURLToPath(new URL("..", import.meta.url));

/**
 * Why importing the entry failed, in one line that says where: the error, then the line of the
 * app's own code it came from (`(at src/db.ts:12:9)`), so a user can go straight there.
 */
export function loadFailure(error: unknown, path: string, cwd: string): string {
  if (!(error instanceof Error)) return String(error);
  const [first, ...rest] = error.message.split("\n");
  const transform = transformFailure(rest, cwd);
  if (transform) return transform;
  const reason = `${error.name}: ${first}`;
  const where =
    appFrame(error.stack ?? "", cwd) ??
    (error.name === "SyntaxError" && !TYPESCRIPT.test(path) ? syntaxErrorAt(path, cwd) : undefined);
  return where ? `${reason} (at ${where})` : reason;
}

/**
 * esbuild (through tsx) lists each error as `/abs/file.ts:1:33: ERROR: Expected "}" but found "1"`,
 * its column counted from 0: shown from 1, as editors and stack traces count.
 */
function transformFailure(lines: string[], cwd: string): string | undefined {
  for (const line of lines) {
    const match = /^(.+?):(\d+):(\d+): ERROR: (.*)$/.exec(line);
    if (match)
      return `SyntaxError: ${match[4]} (at ${shown(match[1], cwd)}:${match[2]}:${Number(match[3]) + 1})`;
  }
  return undefined;
}

/**
 * The first stack frame in a file of the app: not node's, a dependency's or anyserver's. Frames
 * of code tsx compiled to CommonJS (a .ts file outside a `"type": "module"` package) are data:
 * URLs with shifted lines: none is named rather than a wrong one.
 */
function appFrame(stack: string, cwd: string): string | undefined {
  for (const line of stack.split("\n")) {
    const match = /^\s+at (?:.*? \()?((?:file:\/\/)?\/[^():?]+)(?:\?[^:]*)?:(\d+):(\d+)\)?$/.exec(line);
    if (!match) continue;
    const file = match[1].startsWith("file://") ? fileURLToPath(match[1]) : match[1];
    if (!file.includes("/node_modules/") && !file.startsWith(OWN_FILES))
      return `${shown(file, cwd)}:${match[2]}:${match[3]}`;
  }
  return undefined;
}

/**
 * Node 20 keeps where an ES module fails to parse out of the error it rejects `import()` with,
 * and prints it only for an uncaught one: import the entry again in a child, which fails the same
 * way (a parse error stops the import before any module runs), and read the location it prints.
 */
function syntaxErrorAt(path: string, cwd: string): string | undefined {
  const check = spawnSync(
    process.execPath,
    ["--input-type=module", "-e", `await import(${JSON.stringify(pathToFileURL(path).href)})`],
    { cwd, encoding: "utf8", timeout: 10_000 },
  );
  const match = /^(\S+):(\d+)$/m.exec(check.stderr ?? "");
  return match ? `${shown(match[1], cwd)}:${match[2]}` : undefined;
}

/** A file URL or path as the user knows it: relative to where they ran the command. */
function shown(file: string, cwd: string): string {
  const path = file.startsWith("file://") ? fileURLToPath(file) : file;
  const near = relative(cwd, path);
  return near.startsWith("..") ? path : near;
}
