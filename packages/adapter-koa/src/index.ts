import type { IncomingMessage, ServerResponse } from "node:http";
import {
  createNodeBridge,
  createNodeServer,
  defaultLogger,
  defineAdapter,
  errorLine,
  listenNodeServer,
} from "@anyserver/core";
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
  http2: true,
  async serve(app, options) {
    const host = options.host ?? "127.0.0.1";
    const port = options.port ?? 8000;
    const bridge = createNodeBridge(app, { ...options, adapter: "koa", secure: !!options.tls });
    // ctx.ip in your middleware agrees with context.remoteAddress.
    const koa = new Koa({ proxy: options.trustProxy ?? false });
    await options.configure?.(koa);
    const handled = new WeakSet<Context>();
    koa.use((ctx) => {
      // The app writes the response itself, straight to the socket: Koa must not write ctx.body.
      ctx.respond = false;
      handled.add(ctx);
      return bridge.handle(ctx.req, ctx.res, { req: ctx.req, res: ctx.res, ctx } satisfies KoaNative);
    });
    if (koa.listenerCount("error") === 0) {
      const logger = options.logger ?? defaultLogger;
      // Koa would print stacks to stderr; the bridge already logged the app's failures (and keeps client hang-ups quiet).
      koa.on("error", (error: { status?: number; expose?: boolean }, ctx?: Context) => {
        if (ctx && handled.has(ctx)) return;
        if (error.status === 404 || error.expose) return;
        logger.error(`${ctx?.method} ${ctx?.url} failed in Koa middleware: ${errorLine(error)}`);
      });
    }
    const server = createNodeServer(koa.callback(), options.tls, options.http2);
    await listenNodeServer(server, host, port);
    return bridge.running(server, undefined, koa);
  },
});

export default koaAdapter;
