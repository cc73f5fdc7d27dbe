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

/** Pump a web stream into the socket, waiting for `drain`, cancelling the stream if the client leaves. */
async function pipeBody(body: ReadableStream<Uint8Array>, res: ServerResponse): Promise<void> {
  const reader = body.getReader();
  const report = reportOf(body);
  let closed = false;
  let whole = false;
  let wake: (() => void) | undefined;
  const onClose = () => {
    closed = true;
    wake?.();
    reader.cancel(new DOMException("The client disconnected", "AbortError")).catch(() => {});
  };
  const onDrain = () => wake?.();
  res.once("close", onClose);
  res.on("drain", onDrain);
  // The client left while the app worked: 'close' has fired already.
  if (res.destroyed) onClose();
  // Headers go out with the first chunk when it is ready at once (one write instead of two), or by
  // themselves at the end of this event-loop turn, so a stream that waits (SSE) is not held back.
  let written = false;
  const flushIfWaiting = setImmediate(() => written || res.flushHeaders());
  try {
    let next = reader.read();
    while (!closed) {
      const { done, value } = await next;
      if (done || closed) break;
      written = true;
      report?.sent(value);
      const flowing = res.write(value);
      // Ask for the next chunk while the socket drains, so it is ready the moment there is room.
      next = reader.read();
      next.catch(() => {});
      if (!flowing && !closed) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
    if (!closed) {
      res.end();
      whole = true;
    }
  } catch (error) {
    // The app's stream failed mid-body: cut the connection to signal it, after handing the socket
    // what was written (node holds a tick's writes corked), so the client sees the status and a cut body.
    res.socket?.uncork();
    res.destroy(error as Error);
    throw error;
  } finally {
    clearImmediate(flushIfWaiting);
    res.off("close", onClose);
    res.off("drain", onDrain);
    reader.releaseLock();
    report?.ended(!whole);
  }
}
