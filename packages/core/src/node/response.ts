import type { ServerResponse } from "node:http";
import { discardBody, reportOf } from "../observe/body-report.ts";
import { responseParts } from "../response-parts.ts";
import { writeHead } from "./http2.ts";

/** Write a fetch `Response` to node:http's response: whole bodies in one write, streams with back-pressure. */
export function writeResponse(res: ServerResponse, response: Response): void | Promise<void> {
  const { status, statusText, headers, body } = responseParts(response);
  try {
    writeHead(res, status, statusText || undefined, headers);
  } catch (error) {
    // Headers node refuses: the bridge answers 500, and nobody will read the app's stream.
    if (body instanceof ReadableStream) discardBody(body);
    throw error;
  }
  if (body === null || !(body instanceof ReadableStream)) {
    res.end(body ?? undefined);
    return;
  }
  if (res.req?.method === "HEAD") {
    // HEAD sends headers only: cancel the app's stream rather than pump it (maybe endless) into nothing.
    res.end();
    discardBody(body);
    return;
  }
  return pipeBody(body, res);
}

/**
 * Pump a web stream into the socket, waiting for `drain`, cancelling the stream if the client leaves.
 * Promise callbacks, not an async loop: a 1 MiB body is 16 reads, and each await costs a promise more.
 */
function pipeBody(body: ReadableStream<Uint8Array>, res: ServerResponse): Promise<void> {
  const reader = body.getReader();
  const report = reportOf(body);
  let written = false;
  // Headers go out with the first chunk when it is ready at once (one write instead of two), or by
  // themselves at the end of this event-loop turn, so a stream that waits (SSE) is not held back.
  const flushIfWaiting = setImmediate(() => written || res.flushHeaders());
  return new Promise<void>((resolve, reject) => {
    let over = false;
    let draining = false;
    // A chunk read while the socket drains waits here for `drain`.
    let held: ReadableStreamReadResult<Uint8Array> | undefined;
    // Once per body: false when it is over already. A stream may fail with no reason (undefined).
    const end = (whole: boolean): boolean => {
      if (over) return false;
      over = true;
      clearImmediate(flushIfWaiting);
      res.off("close", onClose);
      res.off("drain", onDrain);
      reader.releaseLock();
      report?.ended(!whole);
      return true;
    };
    const onClose = () => {
      reader.cancel(new DOMException("The client disconnected", "AbortError")).catch(() => {});
      if (end(false)) resolve();
    };
    // The app's stream failed mid-body: the bridge logs it and cuts the connection (`fail`).
    const onFail = (error: unknown) => {
      if (end(false)) reject(error);
    };
    const onRead = (result: ReadableStreamReadResult<Uint8Array>) => {
      if (over) return;
      if (draining) {
        held = result;
        return;
      }
      try {
        if (result.done) {
          res.end();
          if (end(true)) resolve();
          return;
        }
        written = true;
        report?.sent(result.value);
        // A chunk node cannot write (not bytes nor a string) throws here: it fails the body.
        draining = !res.write(result.value);
      } catch (error) {
        return onFail(error);
      }
      // Ask for the next chunk while the socket drains, so it is ready the moment there is room.
      reader.read().then(onRead, onFail);
    };
    const onDrain = () => {
      draining = false;
      const next = held;
      held = undefined;
      if (next) onRead(next);
    };
    res.once("close", onClose);
    res.on("drain", onDrain);
    // The client left while the app worked: 'close' has fired already.
    if (res.destroyed) return onClose();
    reader.read().then(onRead, onFail);
  });
}
