import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { appFrame, shownPath } from "../error-location.ts";

/**
 * Why importing the entry failed, in one line that says where: the error, then the line of the
 * app's own code it came from (`(at src/db.ts:12:9)`), so a user can go straight there.
 * `viaTsx`: the entry loaded through tsx, whose parse errors say where themselves (transformFailure).
 */
export function loadFailure(error: unknown, path: string, cwd: string, viaTsx: boolean): string {
  if (!(error instanceof Error)) return String(error);
  const [first, ...rest] = error.message.split("\n");
  const transform = transformFailure(rest, cwd);
  if (transform) return transform;
  const reason = `${error.name}: ${first}`;
  const where =
    appFrame(error, cwd) ?? (error.name === "SyntaxError" && !viaTsx ? syntaxErrorAt(path, cwd) : undefined);
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
      return `SyntaxError: ${match[4]} (at ${shownPath(match[1], cwd)}:${match[2]}:${Number(match[3]) + 1})`;
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
  return match ? `${shownPath(match[1], cwd)}:${match[2]}` : undefined;
}
