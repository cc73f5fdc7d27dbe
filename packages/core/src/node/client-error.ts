import { type Server, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { Refusal } from "../observe/refusal.ts";

/** node:http's `clientError`: a parser error carries the bytes it failed on. */
type ClientError = Error & { code?: string; rawPacket?: Buffer };

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
 * bytes. A server with its own listener (fastify answers these itself) is left alone.
 */
export function reportClientErrors(server: Server, refused: (refusal: Refusal) => void): void {
  if (server.listenerCount("clientError") > 0) return;
  server.on("clientError", (error: ClientError, socket: Duplex) => {
    // As node: no answer on a socket already carrying one, where it would corrupt the stream.
    const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const status = STATUS_BY_CODE[error.code ?? ""] ?? 400;
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`);
      // A reset or a broken pipe is a socket's end, not a request anyone sent.
      if (error.code?.startsWith("HPE_") || status === 408) refused(clientRefusal(error, socket, status));
    }
    socket.destroy(error);
  });
}

/** The refused request as far as the parser read it: its request line when whole, else none. */
function clientRefusal(error: ClientError, socket: Duplex, status: number): Refusal {
  const raw = error.rawPacket;
  const end = raw ? raw.indexOf(10) : -1;
  const line = raw && end > 0 ? REQUEST_LINE.exec(raw.toString("latin1", 0, end)) : null;
  return {
    method: line?.[1] ?? "",
    target: line?.[2] ?? "",
    protocol: line?.[3] ?? "",
    status,
    bytes: 0,
    remote: (socket as { remoteAddress?: string }).remoteAddress,
    referer: null,
    userAgent: null,
  };
}
