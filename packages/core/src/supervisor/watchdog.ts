import { heartbeatInterval } from "./options.ts";
import type { WorkerProcess } from "./worker-process.ts";

const CHECK_EVERY_MS = 250;

/** A short --timeout is meant for hung requests: booting (loading the app) always gets this long. */
const MIN_BOOT_DEADLINE_MS = 30_000;

export interface WatchdogEvents<S> {
  /** A ready worker's event loop has been silent past the timeout. */
  hung(worker: WorkerProcess<S>, silentMs: number): void;
  /** A worker is still not ready `deadline` ms after it started. */
  slowBoot(worker: WorkerProcess<S>, deadline: number): void;
}

/**
 * Watch heartbeats against `timeout`, and boot times against `timeout` but at least 30 s
 * (0 watches nothing); returns the stop function.
 */
export function startWatchdog<S>(
  workers: () => Iterable<WorkerProcess<S>>,
  timeout: number,
  events: WatchdogEvents<S>,
): () => void {
  if (timeout <= 0) return () => {};
  const beat = heartbeatInterval(timeout);
  const bootDeadline = Math.max(timeout, MIN_BOOT_DEADLINE_MS);
  const timer = setInterval(() => {
    const now = Date.now();
    for (const worker of workers()) {
      if (worker.killedBecause) continue;
      if (worker.state === "booting" && now - worker.startedAt > bootDeadline)
        events.slowBoot(worker, bootDeadline);
      // A beat is due every `beat` ms: the loop has been blocked for `timeout` once a due beat is that late.
      else if (worker.state === "ready" && now - worker.lastBeat >= timeout + beat) {
        events.hung(worker, now - worker.lastBeat);
      }
    }
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
