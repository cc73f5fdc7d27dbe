import uWS, { type AppOptions, type TemplatedApp, type us_listen_socket } from "uWebSockets.js";
import { defineAdapter } from "@anyserver/core";
import { createUwsBridge, listenUws, tlsRejected, uwsUnsupported, withTlsFiles } from "@anyserver/core/uws";
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
    omitUwsHeader();
    const server = tls
      ? await withTlsFiles(tls, (files) => createApp(true, { ...options.uws, ...files }))
      : createApp(false, { ...options.uws });
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

// uWS aborts the process on an undefined options object: always pass one.
function createApp(secure: boolean, options: AppOptions): TemplatedApp {
  if (!secure) return uWS.App(options);
  try {
    return uWS.SSLApp(options);
  } catch {
    throw tlsRejected();
  }
}

function listen(server: TemplatedApp, host: string, port: number): Promise<us_listen_socket | false> {
  return new Promise((resolve) => server.listen(host, port, resolve));
}

/** Leave out the `uWebSockets: 20` header uWS adds to every response (what hyper-express does too). */
function omitUwsHeader(): void {
  try {
    uWS._cfg("999999990007");
  } catch {
    // A build without the switch keeps the header: harmless.
  }
}

export default uwsAdapter;
