import { createServer, type Server, type Socket } from "node:net";
import { AnyserverError, defaultLogger, defineAdapter, type RunningServer } from "@anyserver/core";
import { createCgiHandler } from "@anyserver/core/cgi";
import { Connection } from "./connection.ts";
import { listenTcp, listenUnix } from "./listen.ts";

/** Options of the `fastcgi` adapter, beside the common `ServeOptions`. */
export interface FastcgiAdapterOptions {
  /**
   * Permissions of the unix socket (with `socket`), e.g. `0o660` so the web server's group
   * can connect; connecting needs write permission.
   * @default the process umask's (usually 0o755: only the owner can connect)
   */
  socketMode?: number;
}

/** What `context.native` is for a FastCGI request. */
export interface FastcgiNative {
  /** The request's FCGI_PARAMS (its CGI meta-variables). */
  params: Record<string, string>;
  /** The connection from the web server. */
  socket: Socket;
  requestId: number;
}

/**
 * The app as a FastCGI responder behind nginx (`fastcgi_pass`), Apache (`mod_proxy_fcgi`),
 * lighttpd or any FastCGI host: on TCP (`host`, `port`) or a unix socket (`socket`).
 */
export const fastcgiAdapter = defineAdapter<FastcgiAdapterOptions>({
  name: "fastcgi",
  unsupported: {
    websocket: "FastCGI carries a request and its response; the web server keeps the connection to itself",
    http2: "HTTP/2 is the web server's: nginx or lighttpd speaks it to clients and FastCGI to the app",
  },
  async serve(app, options) {
    if (options.tls) {
      throw new AnyserverError(
        "FastCGI has no TLS of its own: the web server in front terminates HTTPS. Remove --tls-cert and --tls-key.",
      );
    }
    const logger = options.logger ?? defaultLogger;
    const pending = new Set<Promise<unknown>>();
    const connections = new Set<Connection>();
    let closing = false;
    let idle: (() => void) | undefined;
    const checkIdle = () => {
      if (idle && connections.size === 0 && pending.size === 0) idle();
    };
    const handle = createCgiHandler(app, {
      ...options,
      adapter: "fastcgi",
      logger,
      waitUntil(promise) {
        const tracked = Promise.resolve(promise)
          .catch(() => {})
          .finally(() => {
            pending.delete(tracked);
            checkIdle();
          });
        pending.add(tracked);
      },
    });

    const server: Server = createServer((socket) => {
      const connection = new Connection(socket, handle, logger);
      connections.add(connection);
      socket.once("close", () => {
        connections.delete(connection);
        checkIdle();
      });
      if (closing) connection.closeWhenIdle();
    });
    const host = options.host ?? "127.0.0.1";
    const port = options.port ?? 8000;
    if (options.socket) await listenUnix(server, options.socket, options.socketMode);
    else await listenTcp(server, host, port);

    const address = server.address();
    const listening =
      typeof address === "string" || address === null
        ? { url: new URL(`unix:${options.socket}`), port: 0 }
        : {
            url: new URL(
              `fcgi://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}/`,
            ),
            port: address.port,
          };

    let closed: Promise<void> | undefined;
    const running: RunningServer = {
      ...listening,
      adapter: "fastcgi",
      native: server,
      close: (closeOptions) => {
        closed ??= (async () => {
          closing = true;
          const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
          for (const connection of connections) connection.closeWhenIdle();
          const drained = new Promise<void>((resolve) => {
            idle = resolve;
            checkIdle();
          });
          let timer: NodeJS.Timeout | undefined;
          const timedOut = new Promise<void>((resolve) => {
            timer = setTimeout(resolve, closeOptions?.timeout ?? options.gracefulTimeout ?? 30_000);
          });
          await Promise.race([Promise.all([drained, stopped]), timedOut]);
          clearTimeout(timer);
          // Past the timeout: what is still in flight is cut; its request.signal aborts.
          for (const connection of connections) connection.destroy();
          await stopped;
        })();
        return closed;
      },
    };
    return running;
  },
});

export default fastcgiAdapter;
