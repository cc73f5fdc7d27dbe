import { assertHttp2Support } from "./http2-support.ts";
import { resolveAdapter } from "./resolve-adapter.ts";
import type { Adapter, App, RunningServer, ServeOptions } from "./types.ts";

export interface ServeWithOptions extends ServeOptions {
  /**
   * The server: an adapter, or a name resolved from the project (`"fastify"`, a package, a path).
   * @default "node"
   */
  server?: string | Adapter<any>;
  /** Options passed through to the adapter. */
  [adapterOption: string]: unknown;
}

/** Serve `app` on the chosen server; resolves once it is listening. */
export async function serve(app: App, options: ServeWithOptions = {}): Promise<RunningServer> {
  const { server = "node", ...rest } = options;
  const adapter = typeof server === "string" ? await resolveAdapter(server) : server;
  assertHttp2Support(adapter, rest);
  return adapter.serve(app, { host: "127.0.0.1", port: 8000, ...rest });
}
