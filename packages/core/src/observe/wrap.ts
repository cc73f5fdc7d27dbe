import { isPending, toFetchHandler } from "../app.ts";
import { fastResponseParts, isResponse } from "../fast-response.ts";
import { isBodyTooLarge } from "../lazy-request.ts";
import { simpleBody } from "../response-parts.ts";
import type { App, FetchHandler, RequestContext } from "../types.ts";
import type { AccessLog } from "./access-log.ts";
import { expectReport, reportsBodies } from "./body-report.ts";
import type { RequestRecord } from "./record.ts";
import { reportRefusals } from "./refusal.ts";
import { addRequestDetails } from "./request-details.ts";

/** What sees each request: all optional, at least one given. */
export interface Watchers {
  accessLog?: AccessLog;
  /** Metrics and profiler hooks of an app request (endpoint requests are only logged). */
  started?: () => void;
  finished?: (record: RequestRecord) => void;
  /** Our own endpoints (/metrics, /__profile__): a response for this request, or undefined for the app. */
  endpoint?: (request: Request, context: RequestContext, pathname: string) => Promise<Response> | undefined;
}

// Node's `performance` global is a lazy getter: read once, not twice per request.
const clock = performance;

// Statuses and methods whose response has no body on the wire, whatever the app returned.
const NO_BODY_STATUS = new Set([204, 205, 304]);

/**
 * Wrap the app so every request produces a `RequestRecord` when its response is complete: at
 * once for string, bytes and empty bodies, at the stream's end (or cancel) for streamed ones.
 */
export function watch(app: App, watchers: Watchers): FetchHandler {
  const fetch = toFetchHandler(app);
  const { accessLog, started, finished, endpoint } = watchers;
  const watched: FetchHandler = (request, context) => {
    const start = clock.now();
    const method = request.method;
    const target = targetOf(request.url);
    const record: RequestRecord = {
      time: Date.now(),
      remote: undefined,
      method,
      target,
      protocol: "",
      status: 0,
      bytes: undefined,
      durationMs: 0,
      referer: null,
      userAgent: null,
      aborted: false,
    };
    if (accessLog) addRequestDetails(record, request, context);
    const own = endpoint?.(request, context, pathOf(target));
    const done = () => {
      record.durationMs = clock.now() - start;
      accessLog?.write(record);
      if (!own) finished?.(record);
    };
    const fail = (error: unknown): never => {
      // What the server answers for this failure.
      record.status = isBodyTooLarge(error) ? 413 : 500;
      done();
      throw error;
    };
    if (!own) started?.();
    let result: Response | Promise<Response>;
    try {
      result = own ?? fetch(request, context);
    } catch (error) {
      return fail(error);
    }
    // Reading the response may throw too (a FastResponse built into a Response with bad headers).
    const finish = (response: Response): Response => {
      try {
        return complete(response, record, request, context, done);
      } catch (error) {
        return fail(error);
      }
    };
    if (!isPending(result)) return finish(result);
    return Promise.resolve(result).then(finish, fail);
  };
  // Requests the server refused before the app: logged and counted as answered, in no time.
  reportRefusals(watched, (refusal) => {
    const record: RequestRecord = { ...refusal, time: Date.now(), durationMs: 0, aborted: false };
    accessLog?.write(record);
    // Started and finished at once: the in-flight gauge must not go below zero.
    started?.();
    finished?.(record);
  });
  return watched;
}

function complete(
  response: Response,
  record: RequestRecord,
  request: Request,
  context: RequestContext,
  done: () => void,
): Response {
  // Not a Response: the server answers 500.
  if (!isResponse(response)) {
    record.status = 500;
    done();
    return response;
  }
  record.status = response.status;
  // A FastResponse first: reading its `body` would build the real Response it exists to avoid.
  const fast = fastResponseParts(response);
  const simple = fast ? fast.body : response.body === null ? null : simpleBody(response);
  if (record.method === "HEAD" || NO_BODY_STATUS.has(response.status) || simple === null) record.bytes = 0;
  else if (simple !== undefined) record.bytes = byteLength(simple);
  else if (reportsBodies(context)) {
    awaitReport(response.body!, record, done);
    return response;
  } else return countedResponse(response, record, request, done);
  done();
  return response;
}

/** The record completes when the server's writer says the body ended. */
function awaitReport(body: ReadableStream, record: RequestRecord, done: () => void): void {
  let bytes = 0;
  let ended = false;
  expectReport(body, {
    sent(chunk) {
      bytes += byteLength(chunk);
    },
    ended(aborted) {
      if (ended) return;
      ended = true;
      record.bytes = bytes;
      record.aborted = aborted;
      done();
    },
  });
}

function byteLength(body: string | Uint8Array): number {
  return typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
}

/**
 * The same response with its body stream counted: the record completes when the server has
 * read the last chunk, or when the stream is cancelled or fails (the client left).
 */
function countedResponse(
  response: Response,
  record: RequestRecord,
  request: Request,
  done: () => void,
): Response {
  const reader = response.body!.getReader();
  let bytes = 0;
  let ended = false;
  const end = (aborted: boolean) => {
    if (ended) return;
    ended = true;
    record.bytes = bytes;
    record.aborted = aborted;
    done();
  };
  // A server that stops reading without cancelling still fires the request's abort signal
  // (or fired it already: the client left while the app worked).
  if (request.signal.aborted) end(true);
  else request.signal.addEventListener("abort", () => end(true), { once: true });
  const counted = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          end(true);
          throw error;
        }
        if (chunk.done) {
          controller.close();
          end(false);
          return;
        }
        bytes += byteLength(chunk.value as Uint8Array | string);
        controller.enqueue(chunk.value);
      },
      cancel(reason) {
        end(true);
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(counted, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** Path and query of an absolute URL, without parsing it (this runs on every request). */
function targetOf(url: string): string {
  // Past "http://" or "https://": the first "/" after the host.
  const start = url.indexOf("/", 8);
  if (start === -1) return "/";
  const hash = url.indexOf("#", start);
  return hash === -1 ? url.slice(start) : url.slice(start, hash);
}

function pathOf(target: string): string {
  const query = target.indexOf("?");
  return query === -1 ? target : target.slice(0, query);
}
