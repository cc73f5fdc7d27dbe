import { invalid } from "../lib/http-error.ts";
import type { RouteArgs } from "../lib/router.ts";
import type { ExampleState } from "../state.ts";

/** How long browsers wait before reconnecting (they resume from the last id). */
const RETRY_MS = 3000;

/**
 * GET /events?interval=ms&limit=n: Server-Sent Events, a `tick` with a counter every interval.
 * Resumes after `Last-Event-ID`; stops when the client goes away, when `limit` ticks are sent,
 * and never queues ticks for a client that is not reading.
 */
export function events(request: Request, { url, state }: RouteArgs<ExampleState>): Response {
  const interval = intParam(url, "interval", 10, 60_000) ?? 1000;
  const limit = intParam(url, "limit", 1, 1_000_000) ?? Number.POSITIVE_INFINITY;
  let count = lastEventId(request);
  let sent = 0;
  const encoder = new TextEncoder();
  const stop = new AbortController();
  let stopped = false;
  const finish = () => {
    if (stopped) return;
    stopped = true;
    state.openEventStreams--;
    stop.abort();
  };

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      state.openEventStreams++;
      const onAbort = () => {
        finish();
        controller.close();
      };
      if (request.signal.aborted) onAbort();
      else request.signal.addEventListener("abort", onAbort, { once: true });
      stop.signal.addEventListener("abort", () => request.signal.removeEventListener("abort", onAbort), {
        once: true,
      });
    },
    // Called only when the client has read the previous tick: a stalled client stalls the ticking.
    async pull(controller) {
      if (sent > 0) await delay(interval, stop.signal);
      if (stopped) return;
      count++;
      const retry = sent === 0 ? `retry: ${RETRY_MS}\n` : "";
      const data = JSON.stringify({ count, time: state.now().toISOString() });
      controller.enqueue(encoder.encode(`${retry}id: ${count}\nevent: tick\ndata: ${data}\n\n`));
      if (++sent >= limit) {
        finish();
        controller.close();
      }
    },
    cancel: finish,
  });

  return new Response(body, {
    headers: {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      // Proxies such as nginx would otherwise hold ticks back in their buffers.
      "x-accel-buffering": "no",
    },
  });
}

function intParam(url: URL, name: string, min: number, max: number): number | undefined {
  const value = url.searchParams.get(name);
  if (value === null) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw invalid(name, `${name} must be a whole number from ${min} to ${max}.`, "invalid_query");
  }
  return number;
}

/** Where a reconnecting EventSource left off; anything unreadable starts over. */
function lastEventId(request: Request): number {
  const id = request.headers.get("last-event-id")?.trim() ?? "";
  return /^\d{1,15}$/.test(id) ? Number(id) : 0;
}

/** Wait `ms`, or less if `signal` aborts first. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
