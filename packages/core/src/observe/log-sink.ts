import { closeSync, openSync, writeSync } from "node:fs";
import { AnyserverError } from "../errors.ts";

/** Where access lines go: whole lines, batched per event-loop turn, one `write()` per batch. */
export interface LogSink {
  /** Queue one line (ending in `\n`) of `bytes` bytes in UTF-8 (counted when not given). */
  write(line: string, bytes?: number): void;
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
    (text, bytes) => writeAll(fd, text, bytes),
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

/** Lines queued per event-loop turn, sent in batches of whole lines up to `limit` bytes. */
export function batchingSink(
  send: (text: string, bytes: number) => void,
  onError: (error: Error) => void,
  limit: number,
  reopen: () => void,
  close: () => void,
): LogSink {
  let queued = "";
  let queuedBytes = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (queued === "") return;
    const text = queued;
    const bytes = queuedBytes;
    queued = "";
    queuedBytes = 0;
    try {
      send(text, bytes);
    } catch (error) {
      onError(error as Error);
    }
  };
  // Lines still queued when the process exits (an uncaught error, process.exit) are written.
  process.on("exit", flush);
  return {
    // In bytes, as PIPE_BUF is: JSON lines may hold multi-byte characters.
    write(line, bytes = Buffer.byteLength(line)) {
      if (queuedBytes + bytes > limit) flush();
      queued += line;
      queuedBytes += bytes;
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

/**
 * One write() in the common case, straight from the string (node encodes it into a scratch
 * buffer freed at once, where a Buffer per batch would wait for the GC); a short write (disk
 * nearly full) continues where it stopped.
 */
function writeAll(fd: number, text: string, bytes: number): void {
  let offset = writeSync(fd, text);
  if (offset === bytes) return;
  const encoded = Buffer.from(text);
  while (offset < bytes) offset += writeSync(fd, encoded, offset);
}
