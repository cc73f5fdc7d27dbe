import { defineAdapter } from "../define-adapter.ts";
import type { App, ServeOptions } from "../types.ts";
import { createNodeBridge } from "./bridge.ts";
import { createNodeServer, listenNodeServer } from "./listen.ts";

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

/** The built-in server: node:http, node:https with `tls`, node:http2 with `tls` and `http2`. No dependencies. */
export const nodeAdapter = defineAdapter<NodeAdapterOptions>({
  name: "node",
  http2: true,
  async serve(app: App, options: ServeOptions & NodeAdapterOptions) {
    const host = options.host ?? "127.0.0.1";
    const port = options.port ?? 8000;
    const secure = options.tls !== undefined;
    const bridge = createNodeBridge(app, { ...options, adapter: "node", secure });
    const server = createNodeServer(bridge.handle, options.tls, options.http2);
    server.keepAliveTimeout = options.keepAliveTimeout ?? 5000;
    server.headersTimeout = options.headersTimeout ?? 60_000;
    await listenNodeServer(server, host, port);
    return bridge.running(server);
  },
});

export default nodeAdapter;
