import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { CLI_SCRIPT } from "../cli-script.ts";

export interface BenchServer {
  url: URL;
  rssMiB(): number | undefined;
  stop(): Promise<void>;
}

/**
 * Start `anyserver serve entry -s server -p 0` as a child and wait for its ready line; aborting
 * `stop` before then stops the child (an app still loading, or hung loading, is not left behind).
 */
export function startBenchServer(
  entry: string,
  server: string,
  cwd: string,
  stop: AbortSignal,
): Promise<BenchServer> {
  const child = spawn(process.execPath, [CLI_SCRIPT, "serve", entry, "-s", server, "-p", "0"], {
    cwd,
    env: { ...process.env, NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  const onStop = () => void stopChild(child);
  stop.addEventListener("abort", onStop, { once: true });
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk;
      const ready = /ready on (\S+)/.exec(stderr);
      if (!ready) return;
      stop.removeEventListener("abort", onStop);
      resolve({ url: new URL(ready[1]), rssMiB: () => rssOf(child), stop: () => stopChild(child) });
    });
    child.once("exit", () => {
      stop.removeEventListener("abort", onStop);
      if (stop.aborted) return reject(stop.reason);
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

function stopChild(child: ChildProcess): Promise<void> {
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
