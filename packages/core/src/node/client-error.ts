import { type Server, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { Refusal } from "../observe/refusal.ts";

/** node:http's `clientError`: a parser error carries the chunk it failed in, and how far into it. */
type ClientError = Error & { code?: string; rawPacket?: Buffer; bytesParsed?: number };

/** The status node:http answers a refused request with (lib/_http_server.js): 400 unless named here. */
const STATUS_BY_CODE: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/** `METHOD target HTTP/x.y`, a line the parser could split before it failed further on. */
const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\S+) (HTTP\/\d\.\d)\r?$/;

/**
 * Let the observers (`-l`, `--metrics`) see the requests node:http refuses before any handler: a
 * malformed request line or header (400), headers past its limit (431), a request too slow to
 * arrive (408). Listening to `clientError` stops node's own answer, so this one writes the same
 * bytes. A server with its own listener (fastify) keeps answering: what it writes is recorded.
 */
export function reportClientErrors(server: Server, refused: (refusal: Refusal) => void): void {
  if (server.listenerCount("clientError") > 0) {
    server.prependListener("clientError", (error: ClientError, socket: Duplex) => {
      if (isRequestError(error)) recordAnswer(error, socket, refused);
    });
    return;
  }
  server.on("clientError", (error: ClientError, socket: Duplex) => {
    // As node: no answer on a socket already carrying one, where it would corrupt the stream.
    const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const status = STATUS_BY_CODE[error.code ?? ""] ?? 400;
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`);
      if (isRequestError(error)) refused(clientRefusal(error, socket, status, 0));
    }
    socket.destroy(error);
  });
}

/** A request the parser refused or that came too slowly; a reset or a broken pipe is a socket's end, not a request. */
function isRequestError(error: ClientError): boolean {
  return error.code?.startsWith("HPE_") === true || error.code === "ERR_HTTP_REQUEST_TIMEOUT";
}

/** Record the answer the server's own listener writes next on this (dying) socket, if it writes one. */
function recordAnswer(error: ClientError, socket: Duplex, refused: (refusal: Refusal) => void): void {
  const write = socket.write;
  socket.write = function (this: Duplex, chunk: unknown, ...rest: unknown[]) {
    socket.write = write;
    const encoding = typeof rest[0] === "string" ? (rest[0] as BufferEncoding) : "utf8";
    const answer = typeof chunk === "string" ? Buffer.from(chunk, encoding) : (chunk as Buffer);
    const status = /^HTTP\/1\.[01] (\d{3}) /.exec(answer.toString("latin1", 0, 16));
    if (status) {
      const head = answer.indexOf("\r\n\r\n");
      const bytes = head === -1 ? 0 : answer.length - head - 4;
      refused(clientRefusal(error, socket, Number(status[1]), bytes));
    }
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as Duplex["write"];
}

/** The refused request as far as the parser read it: its request line when whole, else none. */
function clientRefusal(error: ClientError, socket: Duplex, status: number, bytes: number): Refusal {
  const line = requestLine(error);
  return {
    method: line?.[1] ?? "",
    target: line?.[2] ?? "",
    protocol: line?.[3] ?? "",
    status,
    bytes,
    remote: (socket as { remoteAddress?: string }).remoteAddress,
    referer: null,
    userAgent: null,
  };
}

/**
 * The request line of the request the parser failed in: the chunk may hold requests before it
 * (pipelining), so it starts after the last blank line before the point of failure.
 */
function requestLine(error: ClientError): RegExpExecArray | null {
  const raw = error.rawPacket;
  if (!raw) return null;
  const failedAt = Math.min(error.bytesParsed ?? raw.length, raw.length);
  const blank = failedAt >= 4 ? raw.lastIndexOf("\r\n\r\n", failedAt - 4) : -1;
  const start = blank === -1 ? 0 : blank + 4;
  const end = raw.indexOf(10, start);
  return end > start ? REQUEST_LINE.exec(raw.toString("latin1", start, end)) : null;
}
