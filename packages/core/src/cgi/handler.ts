import type { Readable } from "node:stream";
import { notAResponse, toFetchHandler } from "../app.ts";
import { isResponse } from "../fast-response.ts";
import { isBodyTooLarge } from "../lazy-request.ts";
import { defaultLogger, requestFailedLine } from "../logger.ts";
import type { App, Logger } from "../types.ts";
import { CgiRequestContext } from "./context.ts";
import { type CgiParams, CgiRequest, requestTarget } from "./request.ts";
import { BodyFailedError, type CgiOutput, writeCgiResponse } from "./response.ts";

export interface CgiHandlerOptions {
  /** The adapter's name, given to the app as `context.adapter`. */
  adapter: string;
  trustProxy?: boolean;
  bodyLimit?: number;
  logger?: Logger;
  /** Where `context.waitUntil(promise)` goes: the adapter waits for it before exiting or closing. */
  waitUntil(promise: Promise<unknown>): void;
}

/** One request as a CGI host hands it over. */
export interface CgiExchange {
  /** The meta-variables: the environment (CGI) or the FCGI_PARAMS (FastCGI). */
  params: CgiParams;
  /** The request body stream, or `null` when there is none. */
  body: Readable | null;
  output: CgiOutput;
  /** Aborts when the client goes away; becomes `request.signal`. */
  signal: AbortSignal;
  /** Non-parsed-header mode: the protocol of the status line, e.g. "HTTP/1.1". */
  nph?: string;
  /** What the app gets as `context.native`. */
  native: unknown;
}

/** Answer one CGI-style exchange with the app; resolves when the response is written (or failed). */
export type CgiHandler = (exchange: CgiExchange) => Promise<void>;

/** The bridge CGI and FastCGI share: meta-variables and a body in, a CGI response out. */
export function createCgiHandler(app: App, options: CgiHandlerOptions): CgiHandler {
  const fetch = toFetchHandler(app);
  const logger = options.logger ?? defaultLogger;
  const trustProxy = options.trustProxy ?? false;
  const bodyLimit = options.bodyLimit ?? Number.POSITIVE_INFINITY;

  return async (exchange) => {
    const { params, output, signal } = exchange;
    const request = new CgiRequest(params, {
      body: exchange.body,
      signal,
      trustProxy,
      bodyLimit,
    }) as unknown as Request;
    const context = new CgiRequestContext(
      params,
      options.adapter,
      trustProxy,
      options.waitUntil,
      exchange.native,
    );
    const head = request.method === "HEAD";
    try {
      const response = await fetch(request, context);
      if (!isResponse(response)) throw notAResponse(response);
      await writeCgiResponse(output, response, { head, nph: exchange.nph, signal });
    } catch (error) {
      const target = requestTarget(params);
      if (error instanceof BodyFailedError)
        return logger.error(`${request.method} ${target} failed: ${error.message}`);
      // A client that left makes the app's reads and writes fail: nobody is there to tell.
      if (output.closed) return;
      const tooLarge = isBodyTooLarge(error);
      if (!tooLarge) logger.error(requestFailedLine(request.method, target, error));
      const text = tooLarge ? "Payload Too Large" : "Internal Server Error";
      const headers = { "content-type": "text/plain; charset=utf-8" };
      writeCgiResponse(output, new Response(text, { status: tooLarge ? 413 : 500, headers }), {
        head,
        nph: exchange.nph,
        signal,
      });
    }
  };
}
