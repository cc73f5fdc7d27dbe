import { mkdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import type { Session } from "node:inspector/promises";
import { join, resolve } from "node:path";
import { AnyserverError } from "../errors.ts";
import type { Logger } from "../types.ts";
import { type CpuProfile, ProfileAccumulator } from "./cpu-profile.ts";

export interface ProfilerOptions {
  /** Folder the `.cpuprofile` files are written to (created if missing). */
  dir: string;
  /** The server's name, the first part of each file name. */
  server: string;
  logger: Logger;
  /**
   * Microseconds between samples.
   * @default 1000
   */
  intervalUs?: number;
}

/** This process's CPU profile, recorded with V8's sampling profiler through node:inspector. */
export interface Profiler {
  /** An app request finished: the first one is warm-up (compiling, lazy loading) and is discarded. */
  requestFinished(): void;
  /** Everything recorded since the start (or the last reset), recording goes on. */
  profile(): Promise<CpuProfile>;
  /** Forget what was recorded and start again. */
  reset(): Promise<void>;
  /** Write the profile to `dir/<server>-<pid>-<time>.cpuprofile`; resolves to the path. */
  save(): Promise<string>;
  /** Save, then stop recording (shutdown). */
  close(): Promise<string>;
}

export async function createProfiler(options: ProfilerOptions): Promise<Profiler> {
  const dir = resolve(options.dir);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new AnyserverError(
      `Cannot create the profile folder "${options.dir}" (${reason}). Choose a writable folder with -P.`,
    );
  }
  const session = await connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: options.intervalUs ?? 1000 });
  await session.post("Profiler.start");

  let recorded = new ProfileAccumulator();
  let warm = false;
  // Stop/start pairs must not overlap: each operation waits for the previous one.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(operation: () => Promise<T>): Promise<T> => {
    const next = queue.then(operation);
    queue = next.catch(() => {});
    return next;
  };
  // V8 hands over a profile only when it stops: take it, and record on at once.
  const collect = async () => {
    const { profile } = await session.post("Profiler.stop");
    await session.post("Profiler.start");
    return profile as CpuProfile;
  };
  const profile = () =>
    serial(async () => {
      recorded.add(await collect());
      return recorded.toProfile();
    });
  const reset = () =>
    serial(async () => {
      await collect();
      recorded = new ProfileAccumulator();
    });
  const save = async () => {
    const path = join(dir, `${options.server}-${process.pid}-${fileTime()}.cpuprofile`);
    await writeFile(path, JSON.stringify(await profile()));
    return path;
  };
  return {
    requestFinished() {
      if (warm) return;
      warm = true;
      reset().then(
        () => options.logger.info(`profiler: first request (warm-up) discarded, recording`),
        (error) => options.logger.error(`profiler: reset failed: ${(error as Error).message}`),
      );
    },
    profile,
    reset,
    save,
    async close() {
      const path = await save();
      await serial(() => session.post("Profiler.stop"));
      session.disconnect();
      return path;
    },
  };
}

async function connect(): Promise<Session> {
  try {
    const { Session } = await import("node:inspector/promises");
    const session = new Session();
    session.connect();
    return session;
  } catch (error) {
    throw new AnyserverError(
      `-P needs node:inspector, which this Node.js cannot open (${(error as Error).message}).`,
    );
  }
}

/** A file-name-safe UTC time with milliseconds: 20250131T235959.123Z. */
function fileTime(): string {
  return new Date().toISOString().replace(/[-:]/g, "");
}
