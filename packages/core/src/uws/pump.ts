import { type BodyReport, reportOf } from "../observe/body-report.ts";
import { clientDisconnected, type UwsExchange } from "./exchange.ts";
import { writeHeaders, writeStatus } from "./head-writer.ts";

/** Where a body comes from: the app's stream, or one large buffer. */
export interface ChunkSource {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): void;
  /** Told what is sent and how the body ended (the access log, for an app's stream it watches). */
  report?: BodyReport;
}

export interface PumpOptions {
  status: number;
  statusText: string;
  headers: readonly string[];
  /** The body's length when known (sent with Content-Length via `tryEnd`), else -1 (chunked). */
  length: number;
  /** Ask the client to close the connection after this response (shutdown). */
  closing: boolean;
  /** Bytes of a chunked body uWS may hold for a slow client before the source is read further. */
  maxBackpressure: number;
}

export function streamSource(body: ReadableStream<Uint8Array>): ChunkSource {
  const reader = body.getReader();
  return {
    read: () => reader.read(),
    cancel: (reason) => void reader.cancel(reason).catch(() => {}),
    report: reportOf(body),
  };
}

export function bufferSource(body: Uint8Array): ChunkSource {
  let read = false;
  return {
    read: () => {
      const done = read;
      read = true;
      return Promise.resolve(done ? { done } : { done, value: body });
    },
    cancel() {},
  };
}

/**
 * Send a body with back-pressure, chunk by chunk as the source yields it. A known length
 * goes through `tryEnd` (uWS keeps no copy: what the socket refuses is retried from
 * `onWritable`); an unknown one is chunked with `write`, waiting for `onWritable` once
 * uWS holds `maxBackpressure` bytes. The status and headers go out with the first chunk
 * (uWS 20.30 finishes the head only then). If the client leaves, the source is cancelled.
 */
export async function pumpBody(
  exchange: UwsExchange,
  source: ChunkSource,
  options: PumpOptions,
): Promise<void> {
  try {
    await pump(exchange, source, options);
  } finally {
    source.report?.ended(!exchange.done);
  }
}

async function pump(exchange: UwsExchange, source: ChunkSource, options: PumpOptions): Promise<void> {
  const res = exchange.res;
  const { length } = options;
  let close = options.closing;
  let retry: { chunk: Uint8Array; offset: number } | undefined;
  let backlog = 0;
  let wake: (() => void) | undefined;
  let listening = false;

  const startHead = () => {
    writeStatus(res, options.status, options.statusText);
    close = writeHeaders(res, options.headers, exchange.extraHeaders) || close;
    exchange.started = true;
  };
  const onWritable = (offset: number): boolean => {
    if (!exchange.live) return true;
    if (retry) {
      const [ok, done] = res.tryEnd(retry.chunk.subarray(offset - retry.offset), length);
      if (done) exchange.finish();
      else if (!ok) return false;
      retry = undefined;
    }
    backlog = 0;
    wake?.();
    return true;
  };
  const writable = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
      if (!listening) res.onWritable(onWritable);
      listening = true;
    });

  exchange.onAbort(() => {
    wake?.();
    source.cancel(clientDisconnected());
  });
  // A request body uWS was told to hold back must flow again, or the connection stalls.
  exchange.resume();
  for (;;) {
    const { done, value } = await source.read();
    if (!exchange.live || done) break;
    if (!value || value.byteLength === 0) continue;
    source.report?.sent(value);
    let waitForDrain = false;
    res.cork(() => {
      if (!exchange.started) startHead();
      if (length >= 0) {
        const offset = res.getWriteOffset();
        const [ok, finished] = res.tryEnd(value, length);
        if (finished) exchange.finish();
        else if (!ok) {
          retry = { chunk: value, offset };
          waitForDrain = true;
        }
      } else if (res.write(value)) backlog = 0;
      else {
        backlog += value.byteLength;
        waitForDrain = backlog >= options.maxBackpressure;
      }
    });
    if (waitForDrain) await writable();
    wake = undefined;
    if (!exchange.live) break;
  }
  if (exchange.done) source.cancel();
  if (!exchange.live) return;
  res.cork(() => {
    if (!exchange.started) startHead();
    // Fewer bytes than the Content-Length promised: only a cut connection tells the client.
    if (length > 0) exchange.cut();
    else {
      res.end("", close);
      exchange.finish();
    }
  });
}
