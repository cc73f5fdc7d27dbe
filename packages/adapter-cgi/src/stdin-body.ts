import { Readable } from "node:stream";

/**
 * The request body: exactly `length` bytes of stdin (RFC 3875 §4.2: a script must not read
 * past CONTENT_LENGTH), read with back-pressure. stdin is touched only on the first read.
 */
export function stdinBody(openStdin: () => Readable, length: number): Readable {
  let stdin: Readable | undefined;
  let left = length;
  const detach = () => {
    if (!stdin) return;
    stdin.off("data", onData).off("end", onEnd).off("error", onError);
    stdin.pause();
  };
  const body = new Readable({
    read() {
      if (stdin) return void stdin.resume();
      stdin = openStdin();
      stdin.on("data", onData).on("end", onEnd).on("error", onError);
    },
    destroy(error, callback) {
      detach();
      callback(error);
    },
  });
  function onData(chunk: Buffer): void {
    if (chunk.length >= left) {
      const last = chunk.subarray(0, left);
      left = 0;
      detach();
      body.push(last);
      body.push(null);
      return;
    }
    left -= chunk.length;
    if (!body.push(chunk)) stdin!.pause();
  }
  function onEnd(): void {
    body.destroy(new DOMException("The request body ended before CONTENT_LENGTH bytes", "AbortError"));
  }
  function onError(error: Error): void {
    body.destroy(error);
  }
  return body;
}
