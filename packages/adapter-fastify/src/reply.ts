import { Readable } from "node:stream";
import { fastResponseParts, simpleBody } from "@anyserver/core";
import type { FastifyReply } from "fastify";

/**
 * Send the app's `Response` as a Fastify reply (never hijacked), so onSend hooks and
 * plugins (helmet, compress, cors) see it and headers set in onRequest hooks are kept.
 */
export function sendResponse(response: Response, reply: FastifyReply): void {
  const fast = fastResponseParts(response);
  if (fast) {
    start(reply, fast.status, fast.statusText);
    let hasType = false;
    for (let i = 0; i < fast.headers.length; i += 2) {
      if (fast.headers[i].toLowerCase() === "content-type") hasType = true;
      reply.header(fast.headers[i], fast.headers[i + 1]);
    }
    sendSimple(reply, fast.body, hasType);
    return;
  }
  start(reply, response.status, response.statusText);
  let hasType = false;
  // Headers iterate Set-Cookie one value at a time; Fastify appends repeated Set-Cookie.
  for (const [name, value] of response.headers) {
    if (name === "content-type") hasType = true;
    reply.header(name, value);
  }
  if (response.body === null) reply.send();
  else {
    const simple = simpleBody(response);
    if (simple !== undefined) sendSimple(reply, simple, hasType);
    else if (reply.request.method === "HEAD") {
      // HEAD sends headers only: cancel the app's stream rather than pump it (maybe endless) into nothing.
      response.body.cancel().catch(() => {});
      reply.send();
    } else reply.send(flushingHeaders(response.body, reply));
  }
}

/**
 * The app's stream, sending the headers as soon as Fastify starts reading it rather than
 * with the first chunk (SSE clients wait for them). Only once every header Fastify holds is
 * on the socket's response: an onSend plugin (compress) may read it earlier to wrap it.
 */
function flushingHeaders(body: ReadableStream<Uint8Array>, reply: FastifyReply): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const res = reply.raw;
  let flushed = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (
          !flushed &&
          !res.headersSent &&
          Object.keys(reply.getHeaders()).every((name) => res.hasHeader(name))
        ) {
          flushed = true;
          res.flushHeaders();
        }
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

function start(reply: FastifyReply, status: number, statusText: string): void {
  reply.code(status);
  if (statusText) reply.raw.statusMessage = statusText;
}

function sendSimple(reply: FastifyReply, body: string | Uint8Array | null, hasType: boolean): void {
  if (body === null) reply.send();
  else if (hasType) reply.send(body);
  else {
    // Fastify gives strings and bytes a default content-type; a stream goes out with the app's headers only.
    if (!reply.hasHeader("content-length")) reply.header("content-length", Buffer.byteLength(body));
    reply.send(Readable.from([typeof body === "string" ? Buffer.from(body) : body], { objectMode: false }));
  }
}
