import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Contender } from "./contenders.ts";

export interface ServerProcess {
  child: ChildProcess;
  /** What the server (or its launcher) printed on stderr so far. */
  stderr(): string;
  url: string;
  /** Resident memory now, in MiB. */
  rssMiB(): number;
  /** Kill it (SIGKILL), or with `signal` let it exit by itself. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Start a contender's server on `port`, pinned to `cpu` when given, and wait for its "ready" line.
 * `launcher` runs node under another program (valgrind) with extra node flags.
 */
export function startServer(
  contender: Contender,
  port: number,
  cpu?: number,
  launcher: { command: string[]; nodeFlags: string[] } = { command: [], nodeFlags: [] },
): Promise<ServerProcess> {
  const script = fileURLToPath(contender.script);
  const node = [...launcher.command, process.execPath, ...launcher.nodeFlags, script];
  const [command, args] =
    cpu === undefined ? [node[0], node.slice(1)] : ["taskset", ["-c", String(cpu), ...node]];
  const child = spawn(command, args, {
    env: { ...process.env, ...contender.env, PORT: String(port), NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      if (!chunk.toString().includes("ready")) return;
      resolve({
        child,
        url: `http://127.0.0.1:${port}`,
        stderr: () => stderr,
        rssMiB: () => rssOf(child.pid!),
        stop: (signal = "SIGKILL") =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once("exit", () => done());
            child.kill(signal);
          }),
      });
    });
    child.once("exit", (code) =>
      reject(new Error(`${contender.label} exited with ${code} before ready: ${stderr.trim()}`)),
    );
  });
}

/** VmRSS of a process in MiB; taskset execs node in place, so the pid is the server's. */
function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kib / 1024;
}

export { freePort } from "@anyserver/adapter-test-suite";
