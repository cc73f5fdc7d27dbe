import type { ServerResponse } from "node:http";
import { fastResponseParts } from "../fast-response.ts";

type SimpleBody = string | Uint8Array;

/**
 * Node 20+'s `Response` keeps the string or bytes it was built from in an internal
 * state slot. Found once by probing (never assumed), it lets us write such bodies with
 * one `end()` instead of pumping a web stream; if the slot is missing we stream.
 */
const stateSymbol = (() => {
  const probe = new Response("probe");
  return Object.getOwnPropertySymbols(probe).find(
    (symbol) => (probe as any)[symbol]?.body?.source === "probe",
  );
})();

/** The body of a `Response` when it is a plain string or bytes not yet read, else undefined. */
export function simpleBody(response: Response): SimpleBody | undefined {
  if (stateSymbol === undefined || response.bodyUsed) return undefined;
  const body = (response as any)[stateSymbol]?.body;
  const source = body?.source;
  if (typeof source === "string" || source instanceof Uint8Array) {
    if (body.stream?.locked) return undefined;
    return source;
  }
  return undefined;
}

/** Response headers as the flat `[name, value, …]` list `writeHead` takes, cookies kept apart. */
function rawHeaders(headers: Headers): string[] {
  const raw: string[] = [];
  for (const [name, value] of headers) raw.push(name, value);
  return raw;
}

/** Write a fetch `Response` to node:http's response: simple bodies in one write, streams with back-pressure. */
export function writeResponse(res: ServerResponse, response: Response): void | Promise<void> {
  const fast = fastResponseParts(response);
  if (fast) {
    res.writeHead(fast.status, fast.statusText || undefined, fast.headers);
    res.end(fast.body ?? undefined);
    return;
  }
  const raw = rawHeaders(response.headers);
  if (response.body === null) {
    res.writeHead(response.status, response.statusText || undefined, raw);
    res.end();
    return;
  }
  const simple = simpleBody(response);
  if (simple !== undefined) {
    if (!response.headers.has("content-length"))
      raw.push("content-length", String(Buffer.byteLength(simple)));
    res.writeHead(response.status, response.statusText || undefined, raw);
    res.end(simple);
    return;
  }
  res.writeHead(response.status, response.statusText || undefined, raw);
  if (res.req?.method === "HEAD") {
    // HEAD sends headers only: cancel the app's stream rather than pump it (maybe endless) into nothing.
    res.end();
    response.body.cancel().catch(() => {});
    return;
  }
  return pipeBody(response.body, res);
}

/** Pump a web stream into the socket, waiting for `drain`, cancelling the stream if the client leaves. */
async function pipeBody(body: ReadableStream<Uint8Array>, res: ServerResponse): Promise<void> {
  const reader = body.getReader();
  let closed = false;
  let wake: (() => void) | undefined;
  const onClose = () => {
    closed = true;
    wake?.();
    reader.cancel(new DOMException("The client disconnected", "AbortError")).catch(() => {});
  };
  const onDrain = () => wake?.();
  res.once("close", onClose);
  res.on("drain", onDrain);
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
      const flowing = res.write(value);
      // Ask for the next chunk while the socket drains, so it is ready the moment there is room.
      next = reader.read();
      next.catch(() => {});
      if (!flowing && !closed) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
    if (!closed) res.end();
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
  }
}
