import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import type { LoadOptions, LoadResult } from "./load.ts";

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const packageJson = require.resolve("autocannon/package.json");

export function autocannonVersion(): string {
  return JSON.parse(readFileSync(packageJson, "utf8")).version;
}

/** Drive load with autocannon's CLI in a child process, so it can be pinned to its own CPU like wrk. */
export async function autocannon(options: LoadOptions): Promise<LoadResult> {
  const args = [join(dirname(packageJson), "autocannon.js"), "-j", "-n"];
  args.push("-c", String(options.connections), "-d", String(options.seconds));
  if (options.request) {
    args.push("-m", options.request.method, "-b", options.request.body);
    for (const [name, value] of Object.entries(options.request.headers)) args.push("-H", `${name}=${value}`);
  }
  args.push(options.url);
  const [command, argv] =
    options.cpu === undefined
      ? [process.execPath, args]
      : ["taskset", ["-c", String(options.cpu), process.execPath, ...args]];
  const { stdout } = await run(command, argv, { maxBuffer: 1 << 24 });
  return parseAutocannon(stdout);
}

/** autocannon's JSON result (`-j`): average req/s, latency percentiles, errors as wrk counts them. */
export function parseAutocannon(output: string): LoadResult {
  const result = JSON.parse(output.slice(output.indexOf("{")));
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}
