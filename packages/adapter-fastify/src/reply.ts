import { Readable } from "node:stream";
import {
  isConnectionSpecific,
  isHeaderName,
  isHttp2,
  type Logger,
  requestFailedLine,
  responseParts,
} from "@anyserver/core";
import type { FastifyReply } from "fastify";

/**
 * Send the app's `Response` as a Fastify reply (never hijacked), so onSend hooks and
 * plugins (helmet, compress, cors) see it and headers set in onRequest hooks are kept.
 */
export function sendResponse(response: Response, reply: FastifyReply, logger: Logger): void {
  // One read of status, headers (Set-Cookie values apart: Fastify appends repeats) and body.
  const { status, statusText, headers, body } = responseParts(response);
  // HTTP/2 has no reason phrase and refuses HTTP/1's connection headers: dropped, as a proxy would.
  const http2 = isHttp2(reply.raw.req);
  start(reply, status, http2 ? "" : statusText);
  let hasType = false;
  for (let i = 0; i < headers.length; i += 2) {
    if (isHeaderName(headers[i], "content-type")) hasType = true;
    if (http2 && isConnectionSpecific(headers[i].toLowerCase())) continue;
    reply.header(headers[i], headers[i + 1]);
  }
  if (!(body instanceof ReadableStream)) sendSimple(reply, body, hasType);
  else if (reply.request.method === "HEAD") {
    // HEAD sends headers only: cancel the app's stream rather than pump it (maybe endless) into nothing.
    body.cancel().catch(() => {});
    reply.send();
  } else reply.send(flushingHeaders(body, reply, logger));
}

/**
 * The app's stream, sending the headers as soon as Fastify starts reading it rather than
 * with the first chunk (SSE clients wait for them). Only once every header Fastify holds is
 * on the socket's response: an onSend plugin (compress) may read it earlier to wrap it.
 * A failure of the app's stream is logged as the other servers log it (Fastify cuts the response).
 */
function flushingHeaders(
  body: ReadableStream<Uint8Array>,
  reply: FastifyReply,
  logger: Logger,
): ReadableStream<Uint8Array> {
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
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          logger.error(requestFailedLine(res.req.method ?? "GET", res.req.url ?? "/", error));
          throw error;
        }
        const { done, value } = chunk;
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
