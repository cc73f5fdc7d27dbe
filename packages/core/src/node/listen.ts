import { createServer as createHttpServer, type RequestListener, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { listenError } from "../errors.ts";
import type { TlsOptions } from "../types.ts";

/** A node:http server for `handler`, or node:https with `tls`: what node, express and koa listen with. */
export function createNodeServer(handler: RequestListener, tls?: TlsOptions): Server {
  return tls
    ? createHttpsServer({ cert: tls.cert, key: tls.key, passphrase: tls.passphrase }, handler)
    : createHttpServer(handler);
}

/** Listen on `host:port`; failures (port in use, no rights) become one line saying what to do. */
export function listenNodeServer(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", (error) => reject(listenError(error, host, port)));
    server.listen(port, host, () => resolve());
  });
}
