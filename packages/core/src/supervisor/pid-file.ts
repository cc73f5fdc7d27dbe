import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { AnyserverError } from "../errors.ts";

/** Write this process's pid to `path`, and remove the file when the process exits. */
export function writePidFile(path: string): void {
  try {
    writeFileSync(path, `${process.pid}\n`);
  } catch (error) {
    throw new AnyserverError(
      `Cannot write the pid file "${path}" (${(error as NodeJS.ErrnoException).code}). Check that its folder exists and is writable.`,
    );
  }
  process.once("exit", () => {
    try {
      if (readFileSync(path, "utf8").trim() === String(process.pid)) unlinkSync(path);
    } catch {}
  });
}

/** The pid written in `path` by a running `anyserver serve --pid`. */
export function readPidFile(path: string): number {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new AnyserverError(
      `Pid file "${path}" not found. Start the server with: anyserver serve -w N --pid ${path}`,
    );
  }
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0) {
    throw new AnyserverError(
      `Pid file "${path}" holds no pid ("${text.trim().slice(0, 20)}"). Delete it and restart the server.`,
    );
  }
  return pid;
}
