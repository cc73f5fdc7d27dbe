import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { CLI_SCRIPT } from "../cli-script.ts";

export interface BenchServer {
  url: URL;
  rssMiB(): number | undefined;
  stop(): Promise<void>;
}

/** Start `anyserver serve entry -s server -p 0` as a child and wait for its ready line. */
export function startBenchServer(entry: string, server: string, cwd: string): Promise<BenchServer> {
  const child = spawn(process.execPath, [CLI_SCRIPT, "serve", entry, "-s", server, "-p", "0"], {
    cwd,
    env: { ...process.env, NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk;
      const ready = /ready on (\S+)/.exec(stderr);
      if (ready) resolve({ url: new URL(ready[1]), rssMiB: () => rssOf(child), stop: () => stop(child) });
    });
    child.once("exit", () => {
      const line = stderr.trim().split("\n").filter(Boolean).pop() ?? "exited before it was ready";
      reject(new Error(line.replace(/^\[anyserver\] /, "")));
    });
  });
}

function rssOf(child: ChildProcess): number | undefined {
  try {
    const kib = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1]);
    return Number.isFinite(kib) ? kib / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
