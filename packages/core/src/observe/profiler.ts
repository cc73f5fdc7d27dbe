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
  const segments = profileSegments(session);

  let recorded = new ProfileAccumulator();
  let warm = false;
  // Taking a segment is synchronous, so these never interleave.
  const profile = async () => {
    recorded.add(segments.next());
    return recorded.toProfile();
  };
  const reset = async () => {
    segments.next();
    recorded = new ProfileAccumulator();
  };
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
      segments.end();
      session.disconnect();
      return path;
    },
  };
}

/**
 * V8 hands over a profile only when it stops, and a profiler stopped and started again forgets
 * the code compiled before (on-stack-replaced loops among it), whose samples then land on the
 * caller. So the recording is cut in overlapping segments — the next one starts before the last
 * one ends, keeping V8's profiler alive — through the inspector's console profiles, which, unlike
 * Profiler.start, may overlap.
 */
function profileSegments(session: Session): { next(): CpuProfile; end(): void } {
  const finished = new Map<string, CpuProfile>();
  session.on("Profiler.consoleProfileFinished", ({ params }) => {
    if (params.title) finished.set(params.title, params.profile as CpuProfile);
  });
  let segment = 0;
  const title = (n: number) => `anyserver-profile-${process.pid}-${n}`;
  const take = (name: string) => {
    // In-process sessions deliver the profile while profileEnd() runs.
    console.profileEnd(name);
    const profile = finished.get(name);
    finished.delete(name);
    if (!profile) throw new Error(`V8 returned no profile for ${name}`);
    return profile;
  };
  console.profile(title(segment));
  return {
    next() {
      const last = title(segment);
      console.profile(title(++segment));
      return take(last);
    },
    end: () => void take(title(segment)),
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
