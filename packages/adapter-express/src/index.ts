import { createNodeBridge, createNodeServer, defineAdapter, listenNodeServer } from "@anyserver/core";
import express, { type Express } from "express";

/** Options of the `express` server, beside the common `ServeOptions`. */
export interface ExpressAdapterOptions {
  /**
   * Set up the Express app before anyserver mounts yours behind it: your middleware
   * (helmet, cors, sessions, auth), routes and settings. Middleware runs before the app,
   * in the order you add it; a route or middleware that answers keeps the request from
   * the app. May be async.
   * @default undefined
   */
  configure?: (app: Express) => void | Promise<void>;
}

/** The app on Express 5, mounted as the last middleware behind the ones `configure` adds. */
export const expressAdapter = defineAdapter<ExpressAdapterOptions>({
  name: "express",
  unsupported: {
    http2: "Express 5 gives each request a node:http prototype, which node:http2's requests do not survive",
  },
  async serve(app, options) {
    const host = options.host ?? "127.0.0.1";
    const port = options.port ?? 8000;
    const bridge = createNodeBridge(app, { ...options, adapter: "express", secure: !!options.tls });
    const server = express();
    // The same headers as on every other server: Express would add X-Powered-By.
    server.disable("x-powered-by");
    // req.ip in your middleware agrees with context.remoteAddress.
    server.set("trust proxy", options.trustProxy ?? false);
    await options.configure?.(server);
    // Express's req and res are node:http's: the bridge reads and writes them directly.
    server.use((req, res) => {
      bridge.handle(req, res);
    });
    const httpServer = createNodeServer(server, options.tls);
    await listenNodeServer(httpServer, host, port);
    return bridge.running(httpServer, undefined, server);
  },
});

export default expressAdapter;
