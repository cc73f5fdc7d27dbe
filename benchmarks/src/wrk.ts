import { execFile, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { LoadOptions, LoadResult } from "./load.ts";

const run = promisify(execFile);

/** wrk's version line ("wrk debian/4.1.0-3+b2 [epoll]"), or undefined when wrk is not installed. */
export function wrkVersion(): string | undefined {
  // `wrk -v` prints its version and then exits 1 (it wants a URL): read its output either way.
  const result = spawnSync("wrk", ["-v"], { encoding: "utf8" });
  if (result.error) return undefined;
  return (
    result.stdout
      .split("\n")[0]
      .replace(/ Copyright.*/, "")
      .trim() || "wrk ?"
  );
}

/** Drive load with wrk and parse its report (--latency gives the percentiles). */
export async function wrk(options: LoadOptions): Promise<LoadResult> {
  const args = ["-t1", `-c${options.connections}`, `-d${options.seconds}s`, "--latency"];
  if (options.request) {
    const file = join(tmpdir(), `anyserver-bench-${process.pid}.lua`);
    writeFileSync(file, luaScript(options.request));
    args.push("-s", file);
  }
  args.push(options.url);
  const [command, argv] =
    options.cpu === undefined ? ["wrk", args] : ["taskset", ["-c", String(options.cpu), "wrk", ...args]];
  const { stdout } = await run(command, argv, { maxBuffer: 1 << 20 });
  return parseWrk(stdout);
}

function luaScript(request: NonNullable<LoadOptions["request"]>): string {
  const lines = [
    `wrk.method = ${JSON.stringify(request.method)}`,
    `wrk.body = ${JSON.stringify(request.body)}`,
  ];
  for (const [name, value] of Object.entries(request.headers))
    lines.push(`wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`);
  return `${lines.join("\n")}\n`;
}

export function parseWrk(output: string): LoadResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
  if (!rps) throw new Error(`wrk printed no Requests/sec:\n${output}`);
  const percentile = (p: string) => {
    const match = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, "m").exec(output);
    if (!match) return Number.NaN;
    const scale = { us: 0.001, ms: 1, s: 1000 }[match[2] as "us" | "ms" | "s"];
    return Number(match[1]) * scale;
  };
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    requestsPerSecond: Number(rps[1]),
    p50Ms: percentile("50"),
    p99Ms: percentile("99"),
    errors: non2xx + socketErrors,
  };
}
