import { STATUS_CODES } from "node:http";
import { isHeaderName } from "../header-name.ts";
import { responseParts } from "../response-parts.ts";

/** Where a CGI-style response goes: stdout for CGI, FCGI_STDOUT records for FastCGI. */
export interface CgiOutput {
  /** Write bytes; `false` asks the writer to wait for `drain()` before writing more. */
  write(chunk: Uint8Array): boolean;
  /** Resolves when more can be written, or when the output closed. */
  drain(): Promise<void>;
  /** Write the last bytes, if any, and complete the response. */
  end(chunk?: Uint8Array): void;
  /** Cut the response short so the host sees it incomplete (the body failed after the head went out). */
  abort(): void;
  /** True once the response is complete, cut, or nobody is reading any more (the client left). */
  readonly closed: boolean;
}

export interface CgiResponseOptions {
  /** A HEAD request: the head only, no body (RFC 3875 §4.3.2). */
  head: boolean;
  /** Non-parsed-header mode: start with this protocol's status line ("HTTP/1.1 200 OK") instead of `Status:`. */
  nph?: string;
  /** Aborts when the client goes away: a streamed body stops there. */
  signal: AbortSignal;
}

/** Thrown when a streamed body fails after the head was written: the output is cut, no error page is possible. */
export class BodyFailedError extends Error {
  override name = "BodyFailedError";
}

/**
 * Write a fetch `Response` as a CGI response: `Status:` line, headers, blank line, body.
 * String and bytes bodies go out in one write with their Content-Length; streams follow
 * the head with back-pressure and stop when the client leaves.
 */
export function writeCgiResponse(
  output: CgiOutput,
  response: Response,
  options: CgiResponseOptions,
): void | Promise<void> {
  // Content-Length is among the headers for a string or bytes body (a FastResponse's too).
  const { status, statusText, headers, body } = responseParts(response);
  const reason = statusText || STATUS_CODES[status] || "";
  let head = options.nph ? `${options.nph} ${status} ${reason}\r\n` : `Status: ${status} ${reason}\r\n`;
  let hasDate = false;
  let hasLength = false;
  for (let i = 0; i < headers.length; i += 2) {
    head += `${headers[i]}: ${headers[i + 1]}\r\n`;
    if (isHeaderName(headers[i], "date")) hasDate = true;
    else if (isHeaderName(headers[i], "content-length")) hasLength = true;
  }
  // With no server in between, an NPH response carries what HTTP/1.1 asks of an origin server.
  if (options.nph && !hasDate) head += `date: ${new Date().toUTCString()}\r\n`;
  if (body === null) return void output.end(Buffer.from(`${head}\r\n`, "latin1"));
  if (!(body instanceof ReadableStream)) {
    const bytes = typeof body === "string" ? Buffer.from(body) : body;
    const headBytes = Buffer.from(`${head}\r\n`, "latin1");
    output.end(options.head || bytes.byteLength === 0 ? headBytes : Buffer.concat([headBytes, bytes]));
    return;
  }
  if (options.head) {
    output.end(Buffer.from(`${head}\r\n`, "latin1"));
    body.cancel().catch(() => {});
    return;
  }
  // An NPH stream of unknown length ends when the connection does.
  if (options.nph && !hasLength) head += "connection: close\r\n";
  // The head goes out now, so streamed responses (SSE) reach the client before the first chunk.
  output.write(Buffer.from(`${head}\r\n`, "latin1"));
  return pump(body.getReader(), output, options.signal);
}

/** Copy the body to the output, waiting for drain, cancelling the app's stream when the client leaves. */
async function pump(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  output: CgiOutput,
  signal: AbortSignal,
): Promise<void> {
  const onAbort = () => reader.cancel(signal.reason).catch(() => {});
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (output.closed) break;
      if (done) return output.end();
      const chunk = typeof value === "string" ? Buffer.from(value) : value;
      if (!output.write(chunk)) await output.drain();
    }
    reader.cancel(new DOMException("The client disconnected", "AbortError")).catch(() => {});
  } catch (error) {
    if (output.closed) return;
    output.abort();
    throw new BodyFailedError(
      `the response body failed after the head was sent: ${(error as Error)?.message ?? error}`,
    );
  } finally {
    signal.removeEventListener("abort", onAbort);
    reader.releaseLock();
  }
}
