import {
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
  STATUS_CODES,
} from "node:http";
import type { AddressInfo } from "node:net";
import { isPending, notAResponse, toFetchHandler, webSocketHooksOf } from "../app.ts";
import { isResponse } from "../fast-response.ts";
import { isValidHost } from "../host.ts";
import { isBodyTooLarge } from "../lazy-request.ts";
import { defaultLogger, requestFailedLine } from "../logger.ts";
import { type Refusal, refusalsOf } from "../observe/refusal.ts";
import type { App, Logger, RunningServer, ServeOptions } from "../types.ts";
import { attachNodeWebSockets } from "../websocket/node.ts";
import { reportClientErrors } from "./client-error.ts";
import { type NodeContextShared, NodeRequestContext } from "./context.ts";
import { GracefulTracker } from "./graceful.ts";
import { writeHead } from "./http2.ts";
import { hostOf, NodeRequest, type NodeRequestInit } from "./request.ts";
import { writeResponse } from "./response.ts";

export interface NodeBridgeOptions extends ServeOptions {
  /** The adapter's name, given to the app as `context.adapter`. */
  adapter: string;
  /** Whether the server speaks TLS (sets the request URL's scheme). */
  secure?: boolean;
  /**
   * Write the app's `Response` through the server's own reply (Fastify's, so its onSend
   * hooks and plugins apply) instead of straight to `res`; gets `handle()`'s `native`.
   */
  respond?: (response: Response, native: any) => void | Promise<void>;
}

type Respond = (res: ServerResponse, response: Response) => void | Promise<void>;

/** The bridge every node:http-based adapter (node, fastify, express, koa) shares. */
export interface NodeBridge {
  /**
   * Answer one node:http request with the app; resolves when the response is written.
   * `native` (default `{ req, res }`) becomes `context.native` and is passed to `respond`.
   */
  handle(req: IncomingMessage, res: ServerResponse, native?: unknown): void | Promise<void>;
  /**
   * The `RunningServer` for a listening node:http server. `stopAccepting` closes the
   * listener (e.g. `() => fastify.close()`); connections are drained by the bridge.
   */
  running(server: HttpServer, stopAccepting?: () => Promise<void> | void, native?: unknown): RunningServer;
}

export function createNodeBridge(app: App, options: NodeBridgeOptions): NodeBridge {
  const fetch = toFetchHandler(app);
  const refused = refusalsOf(fetch);
  const logger = options.logger ?? defaultLogger;
  const tracker = new GracefulTracker();
  const trustProxy = options.trustProxy ?? false;
  const init: NodeRequestInit = {
    protocol: options.secure ? "https" : "http",
    trustProxy,
    bodyLimit: options.bodyLimit ?? Number.POSITIVE_INFINITY,
  };

  const custom = options.respond;
  const shared: NodeContextShared = { adapter: options.adapter, trustProxy, tracker, reportsBodies: !custom };

  function handle(req: IncomingMessage, res: ServerResponse, native?: unknown): void | Promise<void> {
    tracker.requestStarted(req, res);
    const respond: Respond = custom ? (_res, response) => custom(response, native) : writeResponse;
    const host = hostOf(req);
    // No URL can hold such a Host: the client's mistake, answered before the app gets an unusable request.url.
    if (host !== undefined && !isValidHost(host)) {
      refused?.(nodeRefusal(req, 400, "Bad Request"));
      return answer(res, 400, "Bad Request", respond);
    }
    const request = new NodeRequest(req, res, init) as unknown as Request;
    const context = new NodeRequestContext(req, res, shared, native);
    let result: Response | Promise<Response>;
    try {
      result = fetch(request, context);
    } catch (error) {
      return fail(req, res, error, logger, respond);
    }
    if (!isPending(result)) return send(req, res, result, logger, respond);
    return Promise.resolve(result).then(
      (response) => send(req, res, response, logger, respond),
      (error) => fail(req, res, error, logger, respond),
    );
  }

  function running(
    server: HttpServer,
    stopAccepting?: () => Promise<void> | void,
    native?: unknown,
  ): RunningServer {
    tracker.attach(server);
    if (refused) reportClientErrors(server, refused);
    const hooks = webSocketHooksOf(app);
    const websockets =
      hooks &&
      attachNodeWebSockets(server, {
        hooks,
        logger,
        options: options.websocket,
        secure: options.secure ?? false,
        trustProxy,
        release: (socket) => tracker.release(socket),
      });
    const address = server.address() as AddressInfo;
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    const url = new URL(`${init.protocol}://${host}:${address.port}/`);
    const stop = stopAccepting ?? (() => new Promise<void>((resolve) => server.close(() => resolve())));
    let closing: Promise<void> | undefined;
    return {
      url,
      port: address.port,
      adapter: options.adapter,
      native: native ?? server,
      close(closeOptions) {
        const timeout = closeOptions?.timeout ?? options.gracefulTimeout ?? 30_000;
        // WebSockets close with 1001 while HTTP drains; the drain waits for them as for waitUntil work.
        if (!closing && websockets) tracker.waitUntil(websockets.close(timeout));
        closing ??= tracker.close(stop, timeout);
        return closing;
      },
    };
  }

  return { handle, running };
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  response: unknown,
  logger: Logger,
  respond: Respond,
): void | Promise<void> {
  if (!isResponse(response)) {
    return fail(req, res, notAResponse(response), logger, respond);
  }
  try {
    const written = respond(res, response);
    if (written) return written.catch((error) => fail(req, res, error, logger, respond));
  } catch (error) {
    return fail(req, res, error, logger, respond);
  }
}

/** A failed request: 500 (413 past the body limit) without the stack, one line in the log. */
function fail(
  req: IncomingMessage,
  res: ServerResponse,
  error: unknown,
  logger: Logger,
  respond: Respond,
): void {
  const tooLarge = isBodyTooLarge(error);
  // A client that left makes the app's reads and writes fail: nobody is there to tell.
  const clientGone = res.destroyed && !res.writableFinished;
  if (!tooLarge && !clientGone) logger.error(requestFailedLine(req.method ?? "GET", req.url ?? "/", error));
  if (res.headersSent || res.destroyed) {
    // Mid-body: cut the connection so the client cannot take the body for whole, after handing the
    // socket what was written (node holds a tick's writes corked): it sees the status and a cut body.
    res.socket?.uncork();
    res.destroy();
    return;
  }
  if (tooLarge) answer(res, 413, "Payload Too Large", respond, { connection: "close" });
  else answer(res, 500, "Internal Server Error", respond);
}

/** A plain-text answer of the bridge's own (400, 413, 500), through the server's reply when it has one. */
function answer(
  res: ServerResponse,
  status: number,
  body: string,
  respond: Respond,
  extra: Record<string, string> = {},
): void {
  const headers = {
    "content-type": "text/plain; charset=utf-8",
    "content-length": String(Buffer.byteLength(body)),
    ...extra,
  };
  if (respond !== writeResponse) {
    // Through the server's reply too, so its hooks (security headers…) apply to errors.
    try {
      respond(res, new Response(body, { status, headers }))?.catch(() => res.destroy());
    } catch {
      res.destroy();
    }
    return;
  }
  // The reason phrase named: a writeHead the app's response made fail has left its own behind.
  writeHead(res, status, STATUS_CODES[status], headers);
  res.end(body);
}

/** What the observers record of a request the bridge answered itself with `status` and `body`. */
function nodeRefusal(req: IncomingMessage, status: number, body: string): Refusal {
  const { referer, "user-agent": userAgent } = req.headers;
  return {
    method: req.method ?? "GET",
    target: req.url ?? "/",
    protocol: `HTTP/${req.httpVersion}`,
    status,
    bytes: Buffer.byteLength(body),
    remote: req.socket.remoteAddress,
    referer: referer ?? null,
    userAgent: userAgent ?? null,
  };
}
