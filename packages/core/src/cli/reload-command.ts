import { resolve } from "node:path";
import { AnyserverError } from "../errors.ts";
import { readPidFile } from "../supervisor/pid-file.ts";
import type { ParsedArgs } from "./args.ts";

/** `anyserver reload [PID] [--pid FILE]`: ask a running supervisor to reload its workers (SIGHUP). */
export function reloadCommand({ values, positionals }: ParsedArgs, cwd: string): void {
  if (positionals.length > 1) {
    throw new AnyserverError(`reload takes one pid, got ${positionals.length}: ${positionals.join(" ")}.`);
  }
  const [given] = positionals;
  const from = values.pid === undefined ? "" : ` (from ${values.pid})`;
  let pid: number;
  if (given !== undefined) pid = parsePid(given);
  else if (values.pid !== undefined) pid = readPidFile(resolve(cwd, values.pid));
  else {
    throw new AnyserverError(
      "reload needs the server's pid: anyserver reload --pid FILE (the file given to anyserver serve --pid), or anyserver reload PID.",
    );
  }
  try {
    process.kill(pid, "SIGHUP");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EPERM") {
      throw new AnyserverError(
        `Not allowed to signal process ${pid}${from}. Run reload as the user running the server.`,
      );
    }
    throw new AnyserverError(
      `No process ${pid}${from} is running. Is the server started (anyserver serve -w N --pid FILE)?`,
    );
  }
  process.stderr.write(
    `[anyserver] asked process ${pid} to reload (SIGHUP): new workers start, then the old ones drain\n`,
  );
}

function parsePid(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 2) {
    throw new AnyserverError(
      `Invalid pid "${value}": give the supervisor's pid, e.g. anyserver reload 12345.`,
    );
  }
  return Number(value);
}
