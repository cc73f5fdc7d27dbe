import type { Writable } from "node:stream";
import type { CgiOutput } from "@anyserver/core/cgi";

/** The response on stdout; `done` settles once the last byte is flushed, or stdout failed. */
export interface StdoutOutput extends CgiOutput {
  readonly done: Promise<void>;
}

/**
 * A CGI response written to stdout with its back-pressure. An error on stdout (EPIPE: the
 * host closed the pipe because the client left) closes the output and calls `onGone`.
 */
export function stdoutOutput(stdout: Writable, onGone: () => void): StdoutOutput {
  let closed = false;
  let settle!: () => void;
  const done = new Promise<void>((resolve) => (settle = resolve));
  stdout.on("error", () => {
    if (closed) return settle();
    closed = true;
    onGone();
    settle();
  });
  return {
    done,
    get closed() {
      return closed;
    },
    write: (chunk) => closed || stdout.write(chunk),
    drain: () =>
      closed
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const wake = () => {
              stdout.off("drain", wake);
              stdout.off("error", wake);
              resolve();
            };
            stdout.once("drain", wake);
            stdout.once("error", wake);
          }),
    end(chunk) {
      if (closed) return;
      closed = true;
      // process.stdout stays open (ending it makes later stray writes throw); other streams are ended.
      if (stdout === process.stdout) stdout.write(chunk ?? "", () => settle());
      else stdout.end(chunk ?? "", () => settle());
    },
    abort() {
      closed = true;
      settle();
    },
  };
}
