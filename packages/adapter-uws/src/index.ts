import uWS, { type TemplatedApp, type us_listen_socket } from "uWebSockets.js";
import { defineAdapter } from "@anyserver/core";
import { createUwsBridge, listenUws, uwsUnsupported, withTlsFiles } from "@anyserver/core/uws";
import type { UwsAdapterOptions } from "./options.ts";

export type { UwsAdapterOptions } from "./options.ts";

/** What `context.native` holds on uws: the response, valid until it ends or the client leaves. */
export interface UwsNative {
  res: uWS.HttpResponse;
}

/** The app on uWebSockets.js, without node:http: the shared uWS bridge in core does the work. */
export const uwsAdapter = defineAdapter<UwsAdapterOptions>({
  name: "uws",
  reusePort: true,
  unsupported: uwsUnsupported,
  async serve(app, options) {
    const host = options.host ?? "127.0.0.1";
    const port = options.port ?? 8000;
    const { tls } = options;
    const bridge = createUwsBridge(app, { ...options, adapter: "uws", secure: !!tls });
    const server = tls
      ? await withTlsFiles(tls, (files) => uWS.SSLApp({ ...options.uws, ...files }))
      : uWS.App({ ...options.uws }); // uWS aborts the process on an undefined options object.
    await options.configure?.(server);
    bridge.serveWebSockets(server);
    server.any("/*", (res, req) => bridge.handle(res, req));
    const socket = await listenUws(host, port, () => listen(server, host, port));
    return bridge.running({
      host,
      port: uWS.us_socket_local_port(socket),
      native: server,
      closer: {
        stopListening: () => uWS.us_listen_socket_close(socket),
        // app.close() is in uWS builds since 20.29, not yet in their typings.
        closeConnections: () => (server as TemplatedApp & { close(): void }).close(),
      },
    });
  },
});

function listen(server: TemplatedApp, host: string, port: number): Promise<us_listen_socket | false> {
  return new Promise((resolve) => server.listen(host, port, resolve));
}

export default uwsAdapter;
