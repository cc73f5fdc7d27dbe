import {
  errorLine,
  type FetchHandler,
  type Logger,
  notAResponse,
  requestFailedLine,
  simpleBody,
} from "@anyserver/core";
import { LambdaRequestContext } from "./context.ts";
import { detectSource, notHttpEvent } from "./detect.ts";
import { responseHeaders } from "./headers.ts";
import type { EventSource, RequestParts, ResponseHead } from "./source.ts";
import type { LambdaContext, LambdaHttpEvent } from "./types.ts";
import { requestUrl, stripBasePath } from "./url.ts";

const NO_BODY = new Set(["GET", "HEAD"]);

/** What every invocation is run with, fixed when `lambda(app, options)` is called. */
export interface InvokeSettings {
  fetch: FetchHandler;
  logger: Logger;
  trustProxy: boolean;
  basePath: string | undefined;
  /** Sources whose result format already lost something and said so: once per handler is enough. */
  warned: Set<string>;
}

/** One invocation: the event's source, the app's request and context, and what the app answered. */
export interface Invocation {
  source: EventSource;
  event: LambdaHttpEvent;
  context: LambdaRequestContext;
  /** Aborts `request.signal` (a streamed response whose client went away). */
  abort: AbortController;
  method: string;
  /** The request's URL ("" for a request fetch could not express), for `failedLine`. */
  url: string;
  response: Response;
  head: ResponseHead;
}

/** Turn the event into a `Request`, run the app, and return its response; never throws for HTTP events. */
export async function invoke(
  event: unknown,
  lambdaContext: LambdaContext | undefined,
  settings: InvokeSettings,
): Promise<Invocation> {
  const source = detectSource(event);
  if (!source) throw new TypeError(notHttpEvent(event));
  const { logger } = settings;
  const abort = new AbortController();
  let parts: RequestParts | undefined;
  let request: Request | undefined;
  try {
    parts = source.request(event);
    request = toRequest(parts, abort.signal, settings.basePath);
  } catch (error) {
    // A request Lambda delivered but fetch cannot express (invalid header, CONNECT…): the client's fault.
    logger.warn(`Bad request from ${source.name}: ${errorLine(error)}`);
  }
  const headers = parts?.headers ?? new Headers();
  const context = new LambdaRequestContext(
    { event: event as LambdaHttpEvent, lambdaContext },
    () => source.remoteAddress(event, headers, settings.trustProxy),
    logger,
  );
  const method = request?.method ?? "GET";
  const response = request ? await runApp(settings, request, context) : textResponse(400, "Bad Request");
  const { fields, cookies } = responseHeaders(response.headers);
  const simple =
    method === "HEAD" && !response.headers.has("content-length") ? simpleBody(response) : undefined;
  // HEAD tells the length GET would send, as node:http servers do, though no body goes out.
  if (simple !== undefined) fields.push(["content-length", String(Buffer.byteLength(simple))]);
  const head = { status: response.status, statusText: response.statusText, fields, cookies };
  const loss = source.loss?.(event, head);
  if (loss && !settings.warned.has(source.name)) {
    settings.warned.add(source.name);
    logger.warn(loss);
  }
  return {
    source,
    event: event as LambdaHttpEvent,
    context,
    abort,
    method,
    url: request?.url ?? "",
    response,
    head,
  };
}

function toRequest(parts: RequestParts, signal: AbortSignal, basePath: string | undefined): Request {
  const url = requestUrl(parts.headers, parts.domainName, stripBasePath(parts.path, basePath), parts.query);
  const method = parts.method.toUpperCase();
  // Bytes, never a string: a string body would make Request add a Content-Type the client never sent.
  const body =
    NO_BODY.has(method) || !parts.body
      ? null
      : Buffer.from(parts.body, parts.isBase64Encoded ? "base64" : "utf8");
  return new Request(url, { method, headers: parts.headers, body, signal });
}

/** The app's response; a throw or a non-Response becomes a 500 and one line in the log. */
async function runApp(
  settings: InvokeSettings,
  request: Request,
  context: LambdaRequestContext,
): Promise<Response> {
  try {
    const response = await settings.fetch(request, context);
    if (response instanceof Response) return response;
    throw notAResponse(response);
  } catch (error) {
    settings.logger.error(failedLine(request.method, request.url, error));
    return textResponse(500, "Internal Server Error");
  }
}

/** The line of a request the app failed, its path and query parsed from `url` only then (not per request). */
export function failedLine(method: string, url: string, error: unknown): string {
  if (!url) return requestFailedLine(method, "-", error);
  const { pathname, search } = new URL(url);
  return requestFailedLine(method, pathname + search, error);
}

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}
