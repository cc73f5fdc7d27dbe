import { defineAdapter } from "@anyserver/core";
import {
  createUwsBridge,
  listenUws,
  tlsRejected,
  type UwsTlsFiles,
  uwsUnsupported,
  withTlsFiles,
} from "@anyserver/core/uws";
import HyperExpress, { type Request, type Response, type Server } from "hyper-express";
import { bodyPrelude, middlewareHeaders, requestHead } from "./handoff.ts";
import type { HyperExpressAdapterOptions } from "./options.ts";

export type { HyperExpressAdapterOptions } from "./options.ts";

/** What `context.native` holds on hyper-express: its request and response (`response.raw` is uWS's). */
export interface HyperExpressNative {
  request: Request;
  response: Response;
}

/**
 * The app on HyperExpress, behind the middleware and routes `configure` adds. Requests reach
 * the app through the uWS bridge in core, not HyperExpress's Request/Response wrappers.
 */
export const hyperExpressAdapter = defineAdapter<HyperExpressAdapterOptions>({
  name: "hyper-express",
  reusePort: true,
  unsupported: uwsUnsupported,
  async serve(app, options) {
    const host = options.host ?? "127.0.0.1";
    const port = options.port ?? 8000;
    const maxHeaderSize = options.maxHeaderSize ?? 16 * 1024;
    const bridge = createUwsBridge(app, {
      ...options,
      maxHeaderSize,
      adapter: "hyper-express",
      secure: !!options.tls,
    });

    const start = async (files?: UwsTlsFiles) => {
      let server: Server;
      try {
        server = new HyperExpress.Server({
          trust_proxy: options.trustProxy ?? false,
          // HyperExpress limits bodies to 250 KiB unless told; the app's limit is anyserver's.
          max_body_length: Number.MAX_SAFE_INTEGER,
          ...options.hyperExpress,
          ...files,
          // Its own handlers would close the listener on SIGTERM, racing anyserver's drain.
          auto_close: false,
        });
      } catch (error) {
        throw files ? tlsRejected() : error;
      }
      await options.configure?.(server);
      bridge.serveWebSockets(server.uws_instance);
      server.any("/*", (request, response) => {
        // The client left while middleware ran: uWS's response is gone.
        if (response.completed) return;
        bridge.handleHead(response.raw, requestHead(request, maxHeaderSize), {
          native: { request, response } satisfies HyperExpressNative,
          body: bodyPrelude(request),
          headers: middlewareHeaders(response),
        });
      });
      await listenUws(host, port, () => server.listen(port, host).catch(() => false as const));
      return server;
    };
    const server = options.tls ? await withTlsFiles(options.tls, start) : await start();
    return bridge.running({
      host,
      port: server.port,
      native: server,
      closer: {
        stopListening: () => server.close(),
        // app.close() is in uWS builds since 20.29, not yet in their typings.
        closeConnections: () => (server.uws_instance as { close?(): void }).close?.(),
      },
    });
  },
});

export default hyperExpressAdapter;
