import type { AppOptions, TemplatedApp } from "uWebSockets.js";

/** Options of the `uws` server, beside the common `ServeOptions`. */
export interface UwsAdapterOptions {
  /**
   * Set up the uWS app before the app's catch-all route: add WebSocket routes (`app.ws`)
   * or routes of your own, which answer before the app. May be async.
   * @default undefined
   */
  configure?: (app: TemplatedApp) => void | Promise<void>;
  /**
   * Largest request body in bytes. A longer declared Content-Length is answered 413 before
   * the app runs; a chunked body growing past it fails the app's read, answered 413.
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
  /**
   * Options for `uWS.App()` / `uWS.SSLApp()`, e.g. `ssl_ciphers`, `dh_params_file_name`.
   * TLS certificate and key come from the common `tls` option.
   * @default {}
   */
  uws?: Omit<AppOptions, "cert_file_name" | "key_file_name" | "passphrase">;
}
