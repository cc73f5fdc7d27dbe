import { connect, type Socket } from "node:net";

/** A response as read off a raw socket: the exact status line, header lines and body bytes. */
export interface RawResponse {
  version: string;
  status: number;
  /** The reason phrase as sent ("" when the server sent none). */
  statusText: string;
  /** Header lines in the order and case they were sent. */
  headers: [name: string, value: string][];
  /** The head as sent, without the blank line that ends it. */
  head: string;
  body: Buffer;
}

/** The first value of a header, matched case-insensitively. */
export function header(response: RawResponse, name: string): string | undefined {
  return headerValues(response, name)[0];
}

/** Every value of a header, one per line it was sent on. */
export function headerValues(response: RawResponse, name: string): string[] {
  const lower = name.toLowerCase();
  return response.headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
}

const CRLF2 = "\r\n\r\n";

/** Statuses and methods whose responses never have a body, whatever their headers say. */
function hasNoBody(method: string, status: number): boolean {
  return method === "HEAD" || (status >= 100 && status < 200) || status === 204 || status === 304;
}

/**
 * Parse one response at the start of `buffer`; undefined while incomplete. `ended`: the
 * peer closed, which completes a body framed by the connection's end (HTTP/1.0 style).
 */
export function parseResponse(
  buffer: Buffer,
  method: string,
  ended: boolean,
): { response: RawResponse; consumed: number } | undefined {
  const headEnd = buffer.indexOf(CRLF2);
  if (headEnd === -1) return undefined;
  const head = buffer.subarray(0, headEnd).toString("latin1");
  const [statusLine, ...lines] = head.split("\r\n");
  const match = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!match) throw new Error(`Malformed status line from the server: ${JSON.stringify(statusLine)}`);
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(":");
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  const status = Number(match[2]);
  const base = { version: match[1], status, statusText: match[3] ?? "", headers, head };
  const start = headEnd + CRLF2.length;
  const found = (name: string) => headers.find(([n]) => n.toLowerCase() === name)?.[1];
  if (hasNoBody(method, status)) return { response: { ...base, body: Buffer.alloc(0) }, consumed: start };
  if (found("transfer-encoding")?.toLowerCase().includes("chunked")) {
    const chunked = parseChunked(buffer, start);
    return chunked && { response: { ...base, body: chunked.body }, consumed: chunked.consumed };
  }
  const length = found("content-length");
  if (length !== undefined) {
    const end = start + Number(length);
    if (buffer.length < end) return undefined;
    return { response: { ...base, body: buffer.subarray(start, end) }, consumed: end };
  }
  return ended ? { response: { ...base, body: buffer.subarray(start) }, consumed: buffer.length } : undefined;
}

function parseChunked(buffer: Buffer, start: number): { body: Buffer; consumed: number } | undefined {
  const chunks: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = buffer.indexOf("\r\n", at);
    if (lineEnd === -1) return undefined;
    const size = Number.parseInt(buffer.subarray(at, lineEnd).toString("latin1").split(";")[0], 16);
    if (Number.isNaN(size)) throw new Error("Malformed chunk size from the server");
    at = lineEnd + 2;
    if (size === 0) {
      // No trailers: one CRLF; trailers: header lines up to a blank line.
      if (buffer.length < at + 2) return undefined;
      if (buffer[at] === 13 && buffer[at + 1] === 10)
        return { body: Buffer.concat(chunks), consumed: at + 2 };
      const trailersEnd = buffer.indexOf(CRLF2, at);
      return trailersEnd === -1 ? undefined : { body: Buffer.concat(chunks), consumed: trailersEnd + 4 };
    }
    if (buffer.length < at + size + 2) return undefined;
    chunks.push(buffer.subarray(at, at + size));
    at += size + 2;
  }
}

/**
 * One TCP connection spoken to byte by byte: for what fetch hides (HEAD bytes, pipelining,
 * malformed requests, exact header lines, interim responses, pausing, abrupt disconnects).
 */
export class RawConnection {
  readonly socket: Socket;
  #buffer: Buffer = Buffer.alloc(0);
  #ended = false;
  #wake: (() => void)[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
      this.#notify();
    });
    socket.on("close", () => {
      this.#ended = true;
      this.#notify();
    });
    // A reset is how some servers end a connection: it shows as `ended`, not as a crash.
    socket.on("error", () => {});
  }

  static open(port: number, host = "127.0.0.1"): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host);
      socket.once("connect", () => resolve(new RawConnection(socket)));
      socket.once("error", reject);
    });
  }

  /** Whether the server has closed (or reset) the connection. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Bytes received and not yet consumed by `response()`. */
  get buffered(): Buffer {
    return this.#buffer;
  }

  write(data: string | Uint8Array): void {
    this.socket.write(data);
  }

  /** The next complete response; `method` says whether it may carry a body. */
  async response(method = "GET", timeoutMs = 10_000): Promise<RawResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const parsed = parseResponse(this.#buffer, method, this.#ended);
      if (parsed) {
        this.#buffer = this.#buffer.subarray(parsed.consumed);
        return parsed.response;
      }
      if (this.#ended) {
        const seen = this.#buffer.subarray(0, 200).toString("latin1");
        throw new Error(
          `The server closed the connection before a complete response (received: ${JSON.stringify(seen)})`,
        );
      }
      await this.#changed(deadline, "a complete response");
    }
  }

  /** Resolves once the server closes the connection; rejects after `timeoutMs`. */
  async closed(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#ended) await this.#changed(deadline, "the server to close the connection");
  }

  /** Resolves once at least `size` unconsumed bytes arrived (or the connection ended). */
  async received(size: number, timeoutMs = 10_000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.#buffer.length < size && !this.#ended) await this.#changed(deadline, `${size} bytes`);
    return this.#buffer;
  }

  destroy(): void {
    this.socket.destroy();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = [];
    for (const resolve of wake) resolve();
  }

  #changed(deadline: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Timed out waiting for ${what} on a raw connection`)),
        Math.max(0, deadline - Date.now()),
      );
      this.#wake.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** An HTTP/1.1 request as bytes; `Host` is added unless given; repeated headers as pairs. */
export function rawRequest(
  port: number,
  method: string,
  target: string,
  headers: Record<string, string> | [string, string][] = {},
  body?: string | Uint8Array,
): Buffer {
  const pairs = Array.isArray(headers) ? headers : Object.entries(headers);
  const lines = [`${method} ${target} HTTP/1.1`];
  if (!pairs.some(([name]) => name.toLowerCase() === "host")) lines.push(`Host: 127.0.0.1:${port}`);
  for (const [name, value] of pairs) lines.push(`${name}: ${value}`);
  const head = Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");
  return body === undefined
    ? head
    : Buffer.concat([head, typeof body === "string" ? Buffer.from(body) : body]);
}
