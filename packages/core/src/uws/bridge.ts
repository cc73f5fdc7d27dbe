import { isPending, notAResponse, toFetchHandler, webSocketHooksOf } from "../app.ts";
import { isResponse } from "../fast-response.ts";
import { assertHeaders } from "../header-check.ts";
import { isBodyTooLarge } from "../lazy-request.ts";
import { defaultLogger, requestFailedLine } from "../logger.ts";
import { discardBody } from "../observe/body-report.ts";
import { type Refusal, refusalsOf } from "../observe/refusal.ts";
import type { App, RunningServer, ServeOptions } from "../types.ts";
import { attachUwsWebSockets, type UwsWebSocketApp } from "../websocket/uws.ts";
import { UwsBody, type UwsBodyPrelude } from "./body.ts";
import { UwsRequestContext } from "./context.ts";
import { formatAddress, UwsExchange } from "./exchange.ts";
import { type UwsCloser, UwsGracefulTracker } from "./graceful.ts";
import { headerValue, readRequestHead, type UwsRequestHead } from "./head.ts";
import { statusLine, writeHeaders } from "./head-writer.ts";
import { urlHost } from "./listen.ts";
import { UwsRequest, type UwsRequestInit } from "./request.ts";
import { writeUwsResponse } from "./response.ts";
import type { UwsHttpRequest, UwsHttpResponse } from "./types.ts";

export interface UwsBridgeOptions extends ServeOptions {
  /** The adapter's name, given to the app as `context.adapter`. */
  adapter: string;
  /** Whether the server speaks TLS (sets the request URL's scheme). */
  secure?: boolean;
  /**
   * Largest request body in bytes: a longer declared Content-Length is answered 413 before
   * the app runs; a chunked body growing past it fails the app's read, answered 413.
   * @default options.bodyLimit ?? Infinity
   */
  maxBodyLength?: number;
  /**
   * Bytes of a chunked response body uWS may hold for a slow client before the app's
   * stream is read further.
   * @default 65536
   */
  maxBackpressure?: number;
  /**
   * Largest request head (request line and headers) in bytes; larger ones get 431.
   * @default 16384
   */
  maxHeaderSize?: number;
}

/** A listening uWS server, as the bridge needs it to make the `RunningServer`. */
export interface UwsListening {
  host: string;
  port: number;
  closer: UwsCloser;
  /** `RunningServer.native`: the uWS app, the hyper-express server… */
  native: unknown;
}

/** The bridge uWS-based adapters (uws, hyper-express) share: uWS request in, the app's Response out. */
export interface UwsBridge {
  /** Answer a uWS request with the app. Call it synchronously in the route handler. */
  handle(res: UwsHttpResponse, req: UwsHttpRequest, native?: unknown): void;
  /**
   * Answer a request whose head was copied already (`createRequestHead`), with `res` still
   * live, handed over by a layer in front of the app (hyper-express).
   */
  handleHead(res: UwsHttpResponse, head: UwsRequestHead, handoff?: UwsHandoff): void;
  /**
   * Serve the app's `websocket` hooks on this uWS app (nothing when it has none). Call it
   * before listening; `close()` then closes every WebSocket with 1001.
   */
  serveWebSockets(uwsApp: UwsWebSocketApp): void;
  /** The `RunningServer` once listening; `close()` drains through the tracker. */
  running(listening: UwsListening): RunningServer;
}

/** What a layer in front of the app (hyper-express) hands the bridge with a request. */
export interface UwsHandoff {
  /** `context.native`. */
  native?: unknown;
  /** The body received so far, and the socket's state. */
  body?: UwsBodyPrelude;
  /** Headers its middleware set for the response (`[name, value, …]`); the app's own win. */
  headers?: readonly string[];
}

const REFUSALS: Record<number, string> = {
  400: "Bad Request",
  413: "Payload Too Large",
  431: "Request Header Fields Too Large",
};

export function createUwsBridge(app: App, options: UwsBridgeOptions): UwsBridge {
  const fetch = toFetchHandler(app);
  const refused = refusalsOf(fetch);
  const logger = options.logger ?? defaultLogger;
  const tracker = new UwsGracefulTracker();
  const trustProxy = options.trustProxy ?? false;
  const bodyLimit = options.maxBodyLength ?? options.bodyLimit ?? Number.POSITIVE_INFINITY;
  const maxHeaderSize = options.maxHeaderSize ?? 16 * 1024;
  const maxBackpressure = options.maxBackpressure ?? 64 * 1024;
  const init: UwsRequestInit = {
    protocol: options.secure ? "https" : "http",
    trustProxy,
    authority: "localhost",
  };

  function handle(res: UwsHttpResponse, req: UwsHttpRequest, native?: unknown): void {
    answer(res, readRequestHead(req, maxHeaderSize), native);
  }

  function handleHead(res: UwsHttpResponse, head: UwsRequestHead, handoff: UwsHandoff = {}): void {
    answer(res, head, handoff.native, handoff.body, handoff.headers);
  }

  function answer(
    res: UwsHttpResponse,
    head: UwsRequestHead,
    native: unknown,
    prelude?: UwsBodyPrelude,
    extraHeaders?: readonly string[],
  ): void {
    const refusal = head.refuse ?? (head.contentLength > bodyLimit ? 413 : undefined);
    if (refusal) {
      refused?.(uwsRefusal(res, head, refusal));
      refuse(res, refusal);
      return;
    }
    const exchange = new UwsExchange(res, head, tracker.settled, prelude?.paused);
    res.onAborted(() => exchange.abort());
    if (head.contentLength > 0 || head.chunked) exchange.body = new UwsBody(exchange, bodyLimit, prelude);
    tracker.started();
    const request = new UwsRequest(exchange, init) as unknown as Request;
    const context = new UwsRequestContext(exchange, options.adapter, trustProxy, tracker, native);
    let result: Response | Promise<Response>;
    try {
      // Middleware headers reach uWS as given: one with a CR LF would add lines of its own. The
      // check throws before they are kept, so the 500 goes out without them.
      if (extraHeaders) assertHeaders(extraHeaders);
      exchange.extraHeaders = extraHeaders;
      result = fetch(request, context);
    } catch (error) {
      fail(exchange, error);
      return;
    }
    if (!isPending(result)) {
      send(exchange, result);
      return;
    }
    Promise.resolve(result).then(
      (response) => send(exchange, response),
      (error) => fail(exchange, error),
    );
  }

  function send(exchange: UwsExchange, response: unknown): void {
    if (!isResponse(response)) {
      fail(exchange, notAResponse(response));
      return;
    }
    if (!exchange.live) {
      // The client left while the app worked: free what its body stream holds.
      const body = response.body;
      if (body) discardBody(body);
      return;
    }
    try {
      const written = writeUwsResponse(exchange, response, { closing: tracker.closing, maxBackpressure });
      if (written) written.catch((error) => fail(exchange, error));
    } catch (error) {
      fail(exchange, error);
    }
  }

  /** A failed request: 500 (413 past the body limit) without the stack, one line in the log. */
  function fail(exchange: UwsExchange, error: unknown): void {
    const tooLarge = isBodyTooLarge(error);
    // A client that left makes the app's reads and writes fail: nobody is there to tell.
    if (!tooLarge && !exchange.aborted) {
      logger.error(requestFailedLine(exchange.head.method, exchange.head.target, error));
    }
    if (!exchange.live) return;
    if (exchange.started) {
      exchange.cut();
      return;
    }
    const status = tooLarge ? 413 : 500;
    const body = tooLarge ? REFUSALS[413] : "Internal Server Error";
    const res = exchange.res;
    exchange.resume();
    res.cork(() => {
      res.writeStatus(statusLine(status, ""));
      writeHeaders(res, ["content-type", "text/plain; charset=utf-8"], exchange.extraHeaders);
      res.end(body, tooLarge || tracker.closing);
    });
    exchange.finish();
  }

  let websockets: { close(timeout: number): Promise<void> } | undefined;
  function serveWebSockets(uwsApp: UwsWebSocketApp): void {
    const hooks = webSocketHooksOf(app);
    if (!hooks) return;
    websockets = attachUwsWebSockets(uwsApp, {
      hooks,
      logger,
      options: options.websocket,
      secure: options.secure ?? false,
      trustProxy,
      authority: () => init.authority,
      remoteAddress: (res) => formatAddress(new Uint8Array(res.getRemoteAddress())),
    });
  }

  function running({ host, port, closer, native }: UwsListening): RunningServer {
    init.authority = `${urlHost(host)}:${port}`;
    let closing: Promise<void> | undefined;
    return {
      url: new URL(`${init.protocol}://${init.authority}/`),
      port,
      adapter: options.adapter,
      native,
      close(closeOptions) {
        const timeout = closeOptions?.timeout ?? options.gracefulTimeout ?? 30_000;
        // WebSockets close with 1001 while HTTP drains; connections are cut only after, as for waitUntil work.
        if (!closing && websockets) tracker.waitUntil(websockets.close(timeout));
        closing ??= tracker.close(closer, timeout);
        return closing;
      },
    };
  }

  return { handle, handleHead, serveWebSockets, running };
}

/** Refuse a request before the app sees it, closing the connection (its framing is not to be trusted). */
function refuse(res: UwsHttpResponse, status: number): void {
  res.cork(() => {
    res.writeStatus(statusLine(status, ""));
    res.writeHeader("content-type", "text/plain; charset=utf-8");
    res.end(REFUSALS[status], true);
  });
}

/** What the observers record of a request refused with `status` (uWS speaks HTTP/1.1 only). */
function uwsRefusal(res: UwsHttpResponse, head: UwsRequestHead, status: number): Refusal {
  return {
    method: head.method,
    target: head.target,
    protocol: "HTTP/1.1",
    status,
    bytes: REFUSALS[status].length,
    remote: formatAddress(new Uint8Array(res.getRemoteAddress())),
    referer: headerValue(head, "referer") ?? null,
    userAgent: headerValue(head, "user-agent") ?? null,
  };
}
