import { autocannon, autocannonVersion } from "./autocannon.ts";
import type { BenchCase } from "./cases.ts";
import { wrk, wrkVersion } from "./wrk.ts";

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx answers plus socket errors. */
  errors: number;
}

export interface LoadOptions {
  url: string;
  seconds: number;
  connections: number;
  /** Method, body and headers of a request that is not a plain GET. */
  request?: BenchCase["request"];
  /** CPU to pin the load generator to (taskset), if any. */
  cpu?: number;
}

/** The tool that drives load, and its version for the report. */
export interface LoadGenerator {
  name: "wrk" | "autocannon";
  version: string;
  run(options: LoadOptions): Promise<LoadResult>;
}

/**
 * wrk from Debian's packages when installed, autocannon otherwise: it measures the same way, but a
 * Node.js client sends fewer requests per core than wrk, so it saturates first on the fastest servers.
 */
export function pickLoadGenerator(): LoadGenerator {
  const version = wrkVersion();
  if (version) return { name: "wrk", version, run: wrk };
  return { name: "autocannon", version: `autocannon ${autocannonVersion()}`, run: autocannon };
}
