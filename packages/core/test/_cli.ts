import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The built CLI, run as users run it. */
export const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Run as this uid/gid through setpriv (for tests of privileges while CI runs as root). */
  asUser?: string;
}

/** Environment without the package manager's hints, so messages are the same under pnpm, npm or a shell. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...extra };
  for (const key of Object.keys(env)) if (key.startsWith("npm_")) delete env[key];
  delete env.PORT;
  if (extra.PORT !== undefined) env.PORT = extra.PORT;
  return env;
}

export function startCli(args: string[], options: RunOptions = {}): ChildProcess {
  const command = options.asUser ? "setpriv" : process.execPath;
  const argv = options.asUser
    ? [
        `--reuid=${options.asUser}`,
        `--regid=${options.asUser === "nobody" ? "nogroup" : options.asUser}`,
        "--clear-groups",
        process.execPath,
        CLI,
        ...args,
      ]
    : [CLI, ...args];
  return spawn(command, argv, {
    cwd: options.cwd,
    env: cleanEnv(options.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Run the CLI to its end and collect what it printed. */
export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const child = startCli(args, options);
  return collect(child);
}

export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

/** Wait for the `ready on URL` line and return the URL. */
export function waitForReady(child: ChildProcess): Promise<URL> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen += chunk;
      const match = /ready on (\S+)/.exec(seen);
      if (match) {
        child.stderr!.off("data", onData);
        resolve(new URL(match[1]));
      }
    };
    child.stderr!.on("data", onData);
    child.once("close", (code) => reject(new Error(`CLI exited with ${code} before ready:\n${seen}`)));
  });
}

/** A fresh folder outside the workspace (so no node_modules is found) holding the given files (`lib/a.ts` too). */
export function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "anyserver-cli-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

export const HELLO_APP = `export default { fetch: (request: Request) => new Response("hello from " + new URL(request.url).pathname) };\n`;

export { freePort } from "@anyserver/adapter-test-suite";
