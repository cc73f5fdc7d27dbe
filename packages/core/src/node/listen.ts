import { createServer as createHttpServer, type RequestListener, type Server } from "node:http";
import { createSecureServer } from "node:http2";
import { createServer as createHttpsServer } from "node:https";
import { listenError } from "../errors.ts";
import type { TlsOptions } from "../types.ts";

/**
 * A node:http server for `handler`, node:https with `tls`, or with `http2` too node:http2's, which
 * speaks HTTP/2 to clients that offer it (ALPN) and HTTP/1.1 to the others: what node, express
 * and koa listen with. The HTTP/2 server passes node:http-compatible requests and responses.
 */
export function createNodeServer(handler: RequestListener, tls?: TlsOptions, http2 = false): Server {
  if (!tls) return createHttpServer(handler);
  const secure = { cert: tls.cert, key: tls.key, passphrase: tls.passphrase };
  if (!http2) return createHttpsServer(secure, handler);
  return createSecureServer({ ...secure, allowHTTP1: true }, handler as never) as unknown as Server;
}

/** Listen on `host:port`; failures (port in use, no rights) become one line saying what to do. */
export function listenNodeServer(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", (error) => reject(listenError(error, host, port)));
    server.listen(port, host, () => resolve());
  });
}
