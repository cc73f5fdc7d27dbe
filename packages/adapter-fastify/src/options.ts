import type { Server } from "node:http";
import type { FastifyHttpOptions, FastifyInstance } from "fastify";

/** Options of the `fastify` server, beside the common `ServeOptions`. */
export interface FastifyAdapterOptions {
  /**
   * Set up Fastify before the app's catch-all route is added: register plugins
   * (`@fastify/helmet`, `@fastify/rate-limit`…), hooks and routes. Routes added here
   * answer before the app; hooks and plugins also apply to the app's responses. May be async.
   * @default undefined
   */
  configure?: (fastify: FastifyInstance) => void | Promise<void>;
  /**
   * Options for `Fastify()`, e.g. `{ logger: true }` for Fastify's own logger (pino),
   * `keepAliveTimeout`, `requestIdHeader`. TLS comes from `tls`; `trustProxy` from the
   * common option; shutdown is anyserver's graceful `close()`.
   * @default { logger: false }
   */
  fastify?: Omit<FastifyHttpOptions<Server>, "https" | "http2" | "serverFactory">;
}
