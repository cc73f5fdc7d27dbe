import type { IncomingMessage, ServerResponse } from "node:http";
import { createNodeBridge, createNodeServer, defineAdapter, listenNodeServer } from "@anyserver/core";
import Koa, { type Context } from "koa";

/** Options of the `koa` server, beside the common `ServeOptions`. */
export interface KoaAdapterOptions {
  /**
   * Set up the Koa app before anyserver mounts yours behind it: your middleware
   * (helmet, cors, sessions, auth) runs before the app, in the order you add it; a
   * middleware that answers without calling `next()` keeps the request from the app.
   * `await next()` resolves once the app's response is written. May be async.
   * @default undefined
   */
  configure?: (app: Koa) => void | Promise<void>;
}

/** What `context.native` holds on Koa. */
export interface KoaNative {
  req: IncomingMessage;
  res: ServerResponse;
  ctx: Context;
}

/** The app on Koa 3, mounted as the last middleware behind the ones `configure` adds. */
export const koaAdapter = defineAdapter<KoaAdapterOptions>({
  name: "koa",
  async serve(app, options) {
    const host = options.host ?? "127.0.0.1";
    const port = options.port ?? 8000;
    const bridge = createNodeBridge(app, { ...options, adapter: "koa", secure: !!options.tls });
    // ctx.ip in your middleware agrees with context.remoteAddress.
    const koa = new Koa({ proxy: options.trustProxy ?? false });
    await options.configure?.(koa);
    koa.use((ctx) => {
      // The app writes the response itself, straight to the socket: Koa must not write ctx.body.
      ctx.respond = false;
      return bridge.handle(ctx.req, ctx.res, { req: ctx.req, res: ctx.res, ctx } satisfies KoaNative);
    });
    const server = createNodeServer(koa.callback(), options.tls);
    await listenNodeServer(server, host, port);
    return bridge.running(server, undefined, koa);
  },
});

export default koaAdapter;
