import { discardBody } from "../observe/body-report.ts";
import { responseParts } from "../response-parts.ts";
import type { UwsExchange } from "./exchange.ts";
import { declaredLength, isBodiless, writeHeaders, writeStatus } from "./head-writer.ts";
import { bufferSource, pumpBody, streamSource } from "./pump.ts";

/** Whole bodies up to this size are copied into uWS in one `end()`; larger ones are sent with back-pressure. */
const ONE_WRITE_LIMIT = 64 * 1024;

export interface UwsWriteOptions {
  /** The server is shutting down: ask the client to close the connection. */
  closing: boolean;
  /** See `PumpOptions.maxBackpressure`. */
  maxBackpressure: number;
}

type WholeBody = string | Uint8Array | null;

/**
 * Write the app's `Response` to uWS: a string or bytes body (or a FastResponse) in one
 * cork with status, headers and `end()`; a stream chunk by chunk with back-pressure.
 */
export function writeUwsResponse(
  exchange: UwsExchange,
  response: Response,
  options: UwsWriteOptions,
): void | Promise<void> {
  const { status, statusText, headers, body } = responseParts(response);
  if (!(body instanceof ReadableStream))
    return writeWhole(exchange, status, statusText, headers, body, options);
  if (exchange.head.method === "HEAD" || isBodiless(status)) {
    // Headers only: cancel the app's stream rather than pump it (maybe endless) into nothing.
    discardBody(body);
    return writeWhole(exchange, status, statusText, headers, null, options);
  }
  const length = declaredLength(headers);
  return pumpBody(exchange, streamSource(body), { ...options, status, statusText, headers, length });
}

function writeWhole(
  exchange: UwsExchange,
  status: number,
  statusText: string,
  headers: readonly string[],
  body: WholeBody,
  options: UwsWriteOptions,
): void | Promise<void> {
  const head = exchange.head.method === "HEAD";
  const bodiless = isBodiless(status);
  if (body !== null && !head && !bodiless && byteLength(body) > ONE_WRITE_LIMIT) {
    const bytes = typeof body === "string" ? Buffer.from(body) : body;
    return pumpBody(exchange, bufferSource(bytes), {
      ...options,
      status,
      statusText,
      headers,
      length: bytes.byteLength,
    });
  }
  const res = exchange.res;
  exchange.resume();
  res.cork(() => {
    writeStatus(res, status, statusText);
    const close = writeHeaders(res, headers, exchange.extraHeaders) || options.closing;
    if (bodiless) res.endWithoutBody();
    else if (head) {
      // HEAD answers with the length GET would send; uWS must not add its own.
      const length = body === null ? declaredLength(headers) : byteLength(body);
      if (length >= 0) res.writeHeader("content-length", String(length));
      res.endWithoutBody();
    } else res.end(body ?? "", close);
  });
  exchange.finish();
}

function byteLength(body: string | Uint8Array): number {
  return typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
}
