import { spawn } from "node:child_process";
import { CLI_SCRIPT } from "./cli-script.ts";

// Set for the server that node's watch mode runs (and restarts): it serves; the process given --watch only watches.
const WATCHED = "ANYSERVER_WATCHED";

/** Whether this process is the server that `serve --watch` runs (and restarts). */
export function isWatchedServer(): boolean {
  return process.env[WATCHED] === "1";
}

/**
 * `serve --watch`: run the same command under node's watch mode, which restarts it when a file
 * the app imported changes (its own modules, TypeScript ones too). Restarts stop the server
 * with SIGTERM, so it drains like any shutdown. Resolves with the exit code to leave with.
 */
export function serveWatching(argv: string[]): Promise<number> {
  const child = spawn(process.execPath, ["--watch", ...process.execArgv, CLI_SCRIPT, ...argv], {
    stdio: "inherit",
    env: { ...process.env, [WATCHED]: "1" },
  });
  // Ctrl-C reaches node's watcher too, which stops the server itself; a SIGTERM sent to this
  // process alone (a process manager) is passed on.
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  return new Promise((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
}
