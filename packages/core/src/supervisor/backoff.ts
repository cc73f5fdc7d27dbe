/** Boot failures in a row (any worker), with none serving, after which the supervisor gives up. */
export const CRASH_LOOP_LIMIT = 5;

/** A worker that served this long is healthy: its slot's failure count starts over. */
export const STABLE_AFTER_MS = 10_000;

const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 30_000;

/**
 * How long to wait before restarting a slot after its `failures`-th failure in a row:
 * at once the first time (a single crash costs no capacity), then 100 ms doubling to 30 s.
 */
export function restartDelay(failures: number): number {
  if (failures <= 1) return 0;
  return Math.min(FIRST_DELAY_MS * 2 ** (failures - 2), MAX_DELAY_MS);
}
