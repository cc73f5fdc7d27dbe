import type { Result } from "autocannon";
import type { BenchOptions } from "./options.ts";

/** What one load run measured, straight from autocannon's result. */
export interface LoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Answers that were not 2xx. */
  non2xx: number;
  throughputBytesPerSecond: number;
  /** autocannon's own result object, kept in the JSON report. */
  raw: unknown;
}

/**
 * Drive load at `url` with autocannon, drawing a progress bar on a terminal: a warm-up run first
 * (its figures dropped, so a server is not measured while its JIT still compiles), then the measured one.
 * Rejects with `stop`'s reason once it is aborted (autocannon stops within its one-second tick).
 */
export async function runLoad(
  url: URL,
  options: BenchOptions,
  label: string,
  stop: AbortSignal,
): Promise<LoadFigures> {
  if (options.warmupMs > 0) await autocannonRun(url, options, options.warmupMs, `${label} warm-up`, stop);
  const result = await autocannonRun(url, options, options.durationMs, label, stop);
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    throughputBytesPerSecond: result.throughput.average,
    raw: result,
  };
}

async function autocannonRun(
  url: URL,
  options: BenchOptions,
  durationMs: number,
  label: string,
  stop: AbortSignal,
): Promise<Result> {
  stop.throwIfAborted();
  const { default: autocannon } = await import("autocannon");
  return new Promise<Result>((resolve, reject) => {
    const onStop = () => instance.stop();
    const instance = autocannon(
      {
        url: new URL(options.path, url).href,
        method: options.method as "GET",
        body: options.body,
        headers: options.headers,
        connections: options.connections,
        duration: durationMs / 1000,
      },
      (error, finished) => {
        stop.removeEventListener("abort", onStop);
        if (stop.aborted) reject(stop.reason);
        else if (error) reject(error);
        else resolve(finished);
      },
    );
    stop.addEventListener("abort", onStop, { once: true });
    autocannon.track(instance, {
      renderProgressBar: process.stderr.isTTY === true,
      renderResultsTable: false,
      renderLatencyTable: false,
      progressBarString: `  ${label.padEnd(16)} [:bar] :percent`,
    });
  });
}
