import { METHODS } from "node:http";
import {
  AnyserverError,
  createNodeBridge,
  defaultLogger,
  defineAdapter,
  errorLine,
  listenError,
  type TlsOptions,
} from "@anyserver/core";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { FastifyAdapterOptions } from "./options.ts";
import { sendResponse } from "./reply.ts";

export type { FastifyAdapterOptions } from "./options.ts";

/** What `context.native` holds on Fastify. */
export interface FastifyNative {
  req: FastifyRequest["raw"];
  res: FastifyReply["raw"];
  request: FastifyRequest;
  reply: FastifyReply;
}

/** The app on Fastify 5, behind the plugins, hooks and routes `configure` registers. */
export const fastifyAdapter = defineAdapter<FastifyAdapterOptions>({
  name: "fastify",
  http2: true,
  async serve(app, options) {
    const host = options.host ?? "127.0.0.1";
    const port = options.port ?? 8000;
    const { tls, fastify: fastifyOptions } = options;
    const logger = options.logger ?? defaultLogger;
    const bridge = createNodeBridge(app, {
      ...options,
      adapter: "fastify",
      secure: !!tls,
      respond: (response, native: FastifyNative) => sendResponse(response, native.reply, logger),
    });
    const handle = (request: FastifyRequest, reply: FastifyReply): void => {
      bridge.handle(request.raw, reply.raw, { req: request.raw, res: reply.raw, request, reply });
    };
    const server = Fastify({
      logger: false,
      ...fastifyOptions,
      trustProxy: options.trustProxy ?? fastifyOptions?.trustProxy ?? false,
      // close() drains through the bridge: Fastify must neither answer 503 nor cut sockets meanwhile.
      return503OnClosing: false,
      forceCloseConnections: false,
      // node:http hands the app URLs with malformed escapes (`/%zz`); Fastify's router would answer 400.
      frameworkErrors(error, request, reply) {
        if (error.code === "FST_ERR_BAD_URL") return handle(request as FastifyRequest, reply as FastifyReply);
        if (fastifyOptions?.frameworkErrors) return fastifyOptions.frameworkErrors(error, request, reply);
        (reply as FastifyReply).send(error);
      },
      ...serverOptions(tls, options.http2),
    }) as unknown as FastifyInstance;
    acceptEveryMethod(server);
    try {
      await options.configure?.(server);
      await server.register(async function anyserverApp(scope) {
        mountApp(scope, handle);
      });
      await server.ready();
    } catch (error) {
      await server.close().catch(() => {});
      const message = `Fastify could not start: ${errorLine(error)}. Check the plugins, hooks and routes added in configure.`;
      throw new AnyserverError(message, "FASTIFY_SETUP_FAILED");
    }
    try {
      await server.listen({ host, port });
    } catch (error) {
      await server.close().catch(() => {});
      throw listenError(error, host, port);
    }
    return bridge.running(server.server, () => server.close(), server);
  },
});

/**
 * Fastify's `https` from `tls`; with `http2` node:http2's server, which speaks HTTP/2 to clients that
 * offer it and HTTP/1.1 to the others (serve() refused `http2` without `tls`).
 */
function serverOptions(tls: TlsOptions | undefined, http2: boolean | undefined): object {
  if (!tls) return {};
  const https = { cert: tls.cert, key: tls.key, passphrase: tls.passphrase };
  return http2 ? { http2: true, https: { ...https, allowHTTP1: true } } : { https };
}

/** The catch-all route, in its own scope so routes from `configure` keep Fastify's body parsers. */
function mountApp(
  scope: FastifyInstance,
  handle: (request: FastifyRequest, reply: FastifyReply) => void,
): void {
  // The app reads the body itself, as a stream: no parser may consume or buffer it.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser("*", (_request, _payload, done) => done(null));
  scope.setErrorHandler((error: { code?: string }, request, reply) => {
    // Fastify answers 415 to a malformed Content-Type before routing; node:http lets the app decide.
    if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return handle(request, reply);
    throw error;
  });
  scope.all("*", handle);
}

/** Fastify routes only the methods it knows; node:http accepts more (PROPFIND, PURGE…), and so does the app. */
function acceptEveryMethod(server: FastifyInstance): void {
  const known = new Set(server.supportedMethods);
  for (const method of METHODS) {
    if (method !== "CONNECT" && !known.has(method)) server.addHttpMethod(method, { hasBody: true });
  }
}

export default fastifyAdapter;
