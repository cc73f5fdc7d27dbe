import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { defineAdapter } from "../define-adapter.ts";
import { listenError } from "../errors.ts";
import type { App, ServeOptions } from "../types.ts";
import { createNodeBridge } from "./bridge.ts";

/** Options of the built-in `node` server, beside the common `ServeOptions`. */
export interface NodeAdapterOptions {
  /**
   * Milliseconds an idle keep-alive connection stays open.
   * @default 5000
   */
  keepAliveTimeout?: number;
  /**
   * Milliseconds allowed to receive a request's headers (slowloris guard).
   * @default 60000
   */
  headersTimeout?: number;
}

/** The built-in server: node:http, or node:https with `tls`. No dependencies. */
export const nodeAdapter = defineAdapter<NodeAdapterOptions>({
  name: "node",
  async serve(app: App, options: ServeOptions & NodeAdapterOptions) {
    const host = options.host ?? "127.0.0.1";
    const port = options.port ?? 8000;
    const secure = options.tls !== undefined;
    const bridge = createNodeBridge(app, { ...options, adapter: "node", secure });
    const onRequest = bridge.handle;
    const server: Server = secure
      ? createHttpsServer({ cert: options.tls!.cert, key: options.tls!.key, passphrase: options.tls!.passphrase }, onRequest)
      : createHttpServer(onRequest);
    server.keepAliveTimeout = options.keepAliveTimeout ?? 5000;
    server.headersTimeout = options.headersTimeout ?? 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error) => reject(listenError(error, host, port)));
      server.listen(port, host, () => resolve());
    });
    return bridge.running(server);
  },
});

export default nodeAdapter;
