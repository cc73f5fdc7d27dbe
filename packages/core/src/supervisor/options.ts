/** How `anyserver serve -w N` runs and watches its workers. Durations in milliseconds, sizes in bytes. */
export interface SupervisorOptions {
  /**
   * Worker processes (`-w N`, `-w auto` = CPU count, or `$WEB_CONCURRENCY`).
   * @default 1
   */
  workers: number;
  /**
   * A worker whose event loop is silent this long, or that is not ready this long (but at least
   * 30 s) after it started, is killed and replaced (`--timeout`); `0` never does.
   * @default 30000
   */
  timeout: number;
  /**
   * Replace a worker after it has served this many requests (`--max-requests`); `0` never does.
   * @default 0
   */
  maxRequests: number;
  /**
   * Each worker adds a random 0…N to `maxRequests`, so workers are not all replaced at once.
   * @default 0
   */
  maxRequestsJitter: number;
  /**
   * Replace a worker whose resident memory (RSS) grows past this many bytes (`--max-memory`); `0` never does.
   * @default 0
   */
  maxMemory: number;
  /**
   * How long a stopping or replaced worker may take to finish its requests before it is forced.
   * @default 30000
   */
  gracefulTimeout: number;
  /** Write the supervisor's pid to this file (`--pid`), for `anyserver reload --pid FILE`. */
  pidFile?: string;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * How often a worker's event loop reports it is alive: often enough that a hung worker is
 * caught close to `timeout`, rarely enough to cost nothing.
 */
export function heartbeatInterval(timeout: number): number {
  return timeout > 0 ? Math.min(1000, Math.max(100, Math.floor(timeout / 10))) : 1000;
}
