import type { WebSocketHooks, WebSocketOptions } from "./websocket/types.ts";

/** What a request carries that `Request` cannot. */
export interface RequestContext {
  /** The client's IP address; with `trustProxy`, the first address in `X-Forwarded-For`. */
  readonly remoteAddress: string | undefined;
  /** The client's port, when the server knows it. */
  readonly remotePort: number | undefined;
  /** The adapter serving this request, e.g. `"node"` or `"fastify"`. */
  readonly adapter: string;
  /** Keep the server alive until `promise` settles: graceful shutdown waits for it. */
  waitUntil(promise: Promise<unknown>): void;
  /** The server's own objects (for Node servers `{ req, res }`): an escape hatch, not portable. */
  readonly native: unknown;
}

/** A web-standard fetch handler. */
export type FetchHandler = (request: Request, context: RequestContext) => Response | Promise<Response>;

/**
 * An app: an object with a `fetch` method (a Hono or h3 app qualifies), or a bare handler.
 * Its optional `websocket` hooks answer WebSocket upgrades on servers that carry them.
 */
export type App = FetchHandler | { fetch: FetchHandler; websocket?: WebSocketHooks };

/** TLS material for HTTPS: PEM strings or buffers. */
export interface TlsOptions {
  cert: string | Buffer;
  key: string | Buffer;
  passphrase?: string;
}

/** Options every adapter understands. */
export interface ServeOptions {
  /**
   * Address to bind.
   * @default "127.0.0.1"
   */
  host?: string;
  /**
   * Port to listen on; `0` picks any free port.
   * @default 8000
   */
  port?: number;
  /**
   * Listen on this unix domain socket instead of `host` and `port` (servers that support it, e.g. `fastcgi`);
   * the CLI's `--socket PATH`.
   */
  socket?: string;
  /** Serve HTTPS with this certificate and key (adapters that support TLS). */
  tls?: TlsOptions;
  /**
   * Speak HTTP/2 to clients that offer it, HTTP/1.1 to the others; needs `tls` (browsers speak
   * HTTP/2 only over TLS). Servers that support it: `node`, `fastify`, `koa`. The CLI's `--http2`.
   * @default false
   */
  http2?: boolean;
  /**
   * Believe `X-Forwarded-For`, `X-Forwarded-Proto` and `X-Forwarded-Host` (only behind a proxy you run).
   * @default false
   */
  trustProxy?: boolean;
  /**
   * Milliseconds `close()` waits for in-flight requests and `waitUntil` work before forcing.
   * @default 30000
   */
  gracefulTimeout?: number;
  /**
   * Largest request body, in bytes, the app may read; larger bodies get 413.
   * @default Infinity
   */
  bodyLimit?: number;
  /** Where server messages go. */
  logger?: Logger;
  /** Limits for the app's WebSockets (message size, per-client send buffer, idle timeout). */
  websocket?: WebSocketOptions;
}

/** A server that is listening. */
export interface RunningServer {
  /** Where the server answers, with the real port (also after `port: 0`). */
  readonly url: URL;
  readonly port: number;
  /** The adapter's name. */
  readonly adapter: string;
  /**
   * Stop accepting, finish in-flight requests and `waitUntil` work, close idle
   * keep-alive sockets, and force what is left after `timeout` milliseconds.
   */
  close(options?: { timeout?: number }): Promise<void>;
  /** Settles when the server is done on its own, without `close()`: a one-shot server (CGI) after its request. */
  readonly finished?: Promise<void>;
  /** The server's own object (`http.Server`, Fastify instance, uWS app…). */
  readonly native: unknown;
}

/** What a server integration implements. */
export interface Adapter<O = {}> {
  /** Short name, the one `-s NAME` takes: `"fastify"`. */
  readonly name: string;
  /**
   * Features this adapter cannot provide, each with the reason (shown by `anyserver servers`).
   * Known keys: `workers` (no `-w`), `websocket` (an app with `websocket` hooks fails to start),
   * `http2` (why `--http2` is refused, for an adapter without `http2`).
   */
  readonly unsupported?: Readonly<Record<string, string>>;
  /**
   * The server binds its port itself with SO_REUSEPORT (uWebSockets.js does) instead of
   * through node:net. Under `anyserver serve -w N` every worker then binds the same port and
   * the Linux kernel spreads connections; otherwise node:cluster shares one listening socket.
   * An adapter that cannot run in several processes says so in `unsupported.workers`.
   * @default false
   */
  readonly reusePort?: boolean;
  /**
   * The adapter answers the one request of the environment it was started in (CGI) instead of
   * listening: the CLI ignores host and port, logs only failures (stdout carries the response)
   * and exits when `RunningServer.finished` settles.
   * @default false
   */
  readonly oneShot?: boolean;
  /**
   * The adapter serves HTTP/2 when `ServeOptions.http2` asks for it; `serve()` and the CLI refuse
   * `http2` for the others.
   * @default false
   */
  readonly http2?: boolean;
  serve(app: App, options: ServeOptions & O): Promise<RunningServer>;
}

/** Server messages: one line each. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
