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
    if (simple === undefined) reply.send(response.body);
    else sendSimple(reply, simple, hasType);
  }
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
