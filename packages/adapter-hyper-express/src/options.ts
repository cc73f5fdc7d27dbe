import type { Server, ServerConstructorOptions } from "hyper-express";

/** Options of the `hyper-express` server, beside the common `ServeOptions`. */
export interface HyperExpressAdapterOptions {
  /**
   * Set up HyperExpress before the app's catch-all route: `server.use()` middleware (it runs
   * before the app), routes and `server.ws()` routes of your own (they answer before the app).
   * May be async.
   * @default undefined
   */
  configure?: (server: Server) => void | Promise<void>;
  /**
   * Options for `new HyperExpress.Server()`: `max_body_length` (HyperExpress's own limit,
   * applied in front of everything), `fast_abort`, `max_body_buffer`, `trust_proxy`…
   * TLS comes from `tls`; shutdown is anyserver's graceful `close()`.
   * @default { trust_proxy: trustProxy }
   */
  hyperExpress?: Omit<
    ServerConstructorOptions,
    "cert_file_name" | "key_file_name" | "passphrase" | "auto_close"
  >;
  /**
   * Largest request body the app gets, in bytes. A longer declared Content-Length is
   * answered 413 before the app runs; a chunked body growing past it gets 413.
   * @default options.bodyLimit ?? Infinity
   */
  maxBodyLength?: number;
  /**
   * Bytes of a streamed response body (one without Content-Length) uWS may hold for a slow
   * client before the app's stream is read further.
   * @default 65536
   */
  maxBackpressure?: number;
  /**
   * Largest request head (request line and headers) in bytes; a larger one gets 431.
   * @default 16384
   */
  maxHeaderSize?: number;
}
