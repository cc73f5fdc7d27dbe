import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { ServerHttp2Stream } from "node:http2";

/** Headers that belong to one HTTP/1 connection: HTTP/2 forbids them (RFC 9113 §8.2.2), node throws on them. */
const CONNECTION_SPECIFIC = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
]);

/** Whether HTTP/2 forbids header `name` (lowercase), as belonging to one HTTP/1 connection. */
export function isConnectionSpecific(name: string): boolean {
  return CONNECTION_SPECIFIC.has(name);
}

/** Whether this exchange is HTTP/2 (node:http2's compatibility request and response). */
export function isHttp2(req: IncomingMessage): boolean {
  return req.httpVersionMajor === 2;
}

/** The HTTP/2 stream under a compatibility request. */
export function http2StreamOf(req: IncomingMessage): ServerHttp2Stream {
  return (req as unknown as { stream: ServerHttp2Stream }).stream;
}

/**
 * `res.writeHead` for both protocols. HTTP/2 has no reason phrase (node warns when given one)
 * and refuses connection-specific headers: both are dropped there, as an HTTP/2 proxy would.
 */
export function writeHead(
  res: ServerResponse,
  status: number,
  reason: string | undefined,
  headers: string[] | OutgoingHttpHeaders,
): void {
  if (!res.req || !isHttp2(res.req)) {
    res.writeHead(status, reason, headers);
    return;
  }
  const flat = Array.isArray(headers) ? headers : Object.entries(headers).flat();
  const kept: string[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    if (!isConnectionSpecific(String(flat[i]).toLowerCase())) kept.push(String(flat[i]), String(flat[i + 1]));
  }
  res.writeHead(status, kept);
}
