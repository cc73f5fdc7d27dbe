import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type CliResult, collect, type RunOptions, startCli } from "../_cli.ts";

export const FIXTURES = fileURLToPath(new URL("../fixtures/supervisor/", import.meta.url));
export const APP = `${FIXTURES}app.mjs`;

/** `-s` values for the servers every drain and reload scenario runs on, by path (core cannot depend on adapters). */
export const SERVERS = {
  node: "node",
  fastify: adapterPath("adapter-fastify"),
  uws: adapterPath("adapter-uws"),
} as const;

export function adapterPath(folder: string): string {
  return fileURLToPath(new URL(`../../../${folder}/dist/index.js`, import.meta.url));
}

/** Fail with the fix, rather than skip, when an adapter was not built. */
export function requireBuilt(server: string): void {
  if (server !== "node" && !existsSync(server)) {
    throw new Error(`${server} is missing: build it first (pnpm turbo run build).`);
  }
}

/** A running `anyserver serve -w N` and what it printed. */
export interface Fleet {
  child: ChildProcess;
  url: URL;
  /** Worker pids from the start-up summary. */
  pids: number[];
  /** Every stderr line so far. */
  lines: string[];
  /** Resolves with the first line from index `from` on (already printed or to come) matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number, from?: number): Promise<string>;
  exited: Promise<CliResult>;
  /** SIGKILL the supervisor and its workers if they are still there. */
  kill(): Promise<void>;
}

export async function startFleet(args: string[], options: RunOptions = {}): Promise<Fleet> {
  const child = startCli(["serve", ...args], options);
  const exited = collect(child);
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let partial = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    partial += chunk;
    const complete = partial.split("\n");
    partial = complete.pop()!;
    lines.push(...complete);
    for (const wake of waiters) wake();
  });
  const waitForLine = (pattern: RegExp, timeoutMs = 15_000, from = 0) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = lines.slice(from).find((each) => pattern.test(each));
        if (!line) return;
        cleanup();
        resolve(line);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${lines.join("\n")}`));
      }, timeoutMs);
      const gone = () => {
        cleanup();
        reject(new Error(`the CLI exited before a line matching ${pattern}:\n${lines.join("\n")}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
        child.off("close", gone);
      };
      waiters.add(check);
      child.once("close", gone);
      check();
    });
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    for (const pid of childrenOf(child.pid!)) killQuietly(pid);
    child.kill("SIGKILL");
    await exited;
  };
  try {
    const ready = await waitForLine(/ready on /, 30_000);
    const url = new URL(/ready on (\S+)/.exec(ready)![1]);
    const pids = /\(pids ([\d, ]+);/.exec(ready)![1].split(", ").map(Number);
    return { child, url, pids, lines, waitForLine, exited, kill };
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
}

/** The processes this one forked (its workers), from /proc. */
export function childrenOf(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    return text ? text.split(" ").map(Number) : [];
  } catch {
    return [];
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {}
}

/** Whether a process with this pid runs (a zombie waiting to be reaped does not). */
export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
