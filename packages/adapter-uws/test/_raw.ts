import { setTimeout as sleep } from "node:timers/promises";

export const MiB = 1024 * 1024;

/** `read()` again until it returns the same value three times in a row (a counter that stopped growing). */
export async function settled(read: () => number): Promise<number> {
  let last = -1;
  let same = 0;
  for (let attempt = 0; attempt < 100 && same < 3; attempt++) {
    await sleep(200);
    const value = read();
    same = value === last ? same + 1 : 0;
    last = value;
  }
  return last;
}

/** Whether `check()` turns true, polled for up to about 20 s. */
export async function eventually(check: () => boolean): Promise<boolean> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (check()) return true;
    await sleep(50);
  }
  return false;
}
