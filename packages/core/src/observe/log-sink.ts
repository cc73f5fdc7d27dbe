import { closeSync, openSync, writeSync } from "node:fs";
import { AnyserverError } from "../errors.ts";

/** Where access lines go: whole lines, batched per event-loop turn, one `write()` per batch. */
export interface LogSink {
  /** Queue one line (ending in `\n`). */
  write(line: string): void;
  /** Write what is queued now. */
  flush(): void;
  /** Close and open the file again at its path (after logrotate moved it). No-op for stdout. */
  reopen(): void;
  close(): void;
}

// A batch never straddles this size: a pipe write up to PIPE_BUF (4096) is atomic, so the
// lines of several workers sharing stdout never interleave; files take larger batches.
const STDOUT_BATCH = 4096;
const FILE_BATCH = 64 * 1024;

/**
 * A sink appending to `path` (opened with O_APPEND, created if missing). Every batch is one
 * `write()` of whole lines, and O_APPEND makes each write land whole at the end of the file,
 * so the workers of `-w N`, each with its own descriptor, never interleave mid-line.
 */
export function fileSink(path: string, onError: (error: Error) => void): LogSink {
  let fd = openLog(path);
  return batchingSink(
    (text) => writeAll(fd, text),
    onError,
    FILE_BATCH,
    () => {
      const next = openLog(path);
      closeSync(fd);
      fd = next;
    },
    () => closeSync(fd),
  );
}

/** A sink writing to standard output. */
export function stdoutSink(onError: (error: Error) => void): LogSink {
  // A reader that went away (EPIPE) costs the log, never the server.
  process.stdout.on("error", onError);
  return batchingSink(
    (text) => process.stdout.write(text),
    onError,
    STDOUT_BATCH,
    () => {},
    () => {},
  );
}

function batchingSink(
  send: (text: string) => void,
  onError: (error: Error) => void,
  limit: number,
  reopen: () => void,
  close: () => void,
): LogSink {
  let queued = "";
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (queued === "") return;
    const text = queued;
    queued = "";
    try {
      send(text);
    } catch (error) {
      onError(error as Error);
    }
  };
  // Lines still queued when the process exits (an uncaught error, process.exit) are written.
  process.on("exit", flush);
  return {
    write(line) {
      if (queued.length + line.length > limit) flush();
      queued += line;
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
    reopen() {
      flush();
      reopen();
    },
    close() {
      flush();
      process.off("exit", flush);
      close();
    },
  };
}

function openLog(path: string): number {
  try {
    return openSync(path, "a");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new AnyserverError(
      `Cannot open the access log "${path}" (${reason}). Check the folder exists and is writable.`,
    );
  }
}

/** One write() in the common case; a short write (disk nearly full) continues where it stopped. */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
}
