import { setTimeout as sleep } from "node:timers/promises";

/** `promise`, or a failure saying `what` did not happen within `ms` (a clear message instead of a stuck case). */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} (waited ${ms} ms)`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether `promise` settles within `ms`: for "must still be waiting" checks, never for speed. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await sleep(ms);
  return settled;
}

/**
 * Poll `read` until its value stops changing for `stableFor` polls (at most `maxPolls`):
 * the value a producer settles at once back-pressure holds it.
 */
export async function settledValue(
  read: () => Promise<number>,
  stableFor = 5,
  maxPolls = 100,
): Promise<number> {
  let last = await read();
  let unchanged = 0;
  for (let i = 0; i < maxPolls && unchanged < stableFor; i++) {
    await sleep(100);
    const value = await read();
    unchanged = value === last ? unchanged + 1 : 0;
    last = value;
  }
  return last;
}
