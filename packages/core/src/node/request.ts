import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { AnyserverError } from "../errors.ts";

/** What a NodeRequest needs to know about where it was received. */
export interface NodeRequestInit {
  protocol: "http" | "https";
  trustProxy: boolean;
  bodyLimit: number;
}

const NO_BODY = new Set(["GET", "HEAD"]);

/**
 * A `Request` over node:http's request, built lazily: nothing (URL, headers, signal,
 * body stream) is copied until the app reads it, and body readers (`text()`, `json()`…)
 * read the socket directly instead of going through web streams. Anything rarer is
 * delegated to a real `Request` built on first use. It passes `instanceof Request`.
 */
export class NodeRequest {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #init: NodeRequestInit;
  #url?: string;
  #headers?: Headers;
  #abort?: AbortController;
  #body?: ReadableStream<Uint8Array> | null;
  #request?: Request;
  #bodyUsed = false;

  constructor(req: IncomingMessage, res: ServerResponse, init: NodeRequestInit) {
    this.#req = req;
    this.#res = res;
    this.#init = init;
  }

  get method(): string {
    return this.#req.method ?? "GET";
  }

  get url(): string {
    if (this.#url === undefined) {
      const req = this.#req;
      let protocol: string = this.#init.protocol;
      let host = req.headers.host;
      if (this.#init.trustProxy) {
        protocol = firstValue(req.headers["x-forwarded-proto"]) ?? protocol;
        host = firstValue(req.headers["x-forwarded-host"]) ?? host;
      }
      host ||= `${req.socket.localAddress ?? "localhost"}:${req.socket.localPort ?? ""}`;
      const path = req.url ?? "/";
      // Absolute-form targets (proxies) keep only their path; "//x" must not be read as a host.
      this.#url = `${protocol}://${host}${path.startsWith("/") ? path : new URL(path, "http://x").pathname}`;
    }
    return this.#url;
  }

  get headers(): Headers {
    if (this.#headers === undefined) {
      const raw = this.#req.rawHeaders;
      const headers = new Headers();
      for (let i = 0; i < raw.length; i += 2) {
        // HTTP/2 pseudo-headers (":path") are not headers to the app.
        if (raw[i].charCodeAt(0) !== 58) headers.append(raw[i], raw[i + 1]);
      }
      this.#headers = headers;
    }
    return this.#headers;
  }

  /** Aborts when the client goes away before the response is complete. */
  get signal(): AbortSignal {
    if (this.#abort === undefined) {
      const abort = new AbortController();
      this.#abort = abort;
      const res = this.#res;
      const onClose = () => {
        if (!res.writableFinished) abort.abort(new DOMException("The client disconnected", "AbortError"));
      };
      if (res.closed || res.destroyed) onClose();
      else res.once("close", onClose);
    }
    return this.#abort.signal;
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.#body === undefined) {
      if (NO_BODY.has(this.method) || !this.#hasBody()) this.#body = null;
      else {
        this.#bodyUsed = true;
        this.#body = Readable.toWeb(this.#limitedBody()) as ReadableStream<Uint8Array>;
      }
    }
    return this.#body;
  }

  get bodyUsed(): boolean {
    return this.#bodyUsed;
  }

  async bytes(): Promise<Uint8Array> {
    const buffer = await this.#readAll();
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const buffer = await this.#readAll();
    return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return (await this.#readAll()).toString("utf8");
  }

  async json(): Promise<any> {
    return JSON.parse(await this.text());
  }

  async blob(): Promise<Blob> {
    const type = this.#req.headers["content-type"] ?? "";
    return new Blob([(await this.#readAll()) as Uint8Array<ArrayBuffer>], { type });
  }

  formData(): Promise<FormData> {
    return this.#real().formData();
  }

  clone(): Request {
    return this.#real().clone();
  }

  get cache(): RequestCache {
    return "default";
  }
  get credentials(): RequestCredentials {
    return "same-origin";
  }
  get destination(): RequestDestination {
    return "";
  }
  get integrity(): string {
    return "";
  }
  get keepalive(): boolean {
    return false;
  }
  get mode(): RequestMode {
    return "cors";
  }
  get redirect(): RequestRedirect {
    return "follow";
  }
  get referrer(): string {
    return "about:client";
  }
  get referrerPolicy(): ReferrerPolicy {
    return "";
  }
  get duplex(): "half" {
    return "half";
  }
  get [Symbol.toStringTag](): string {
    return "Request";
  }

  #hasBody(): boolean {
    const headers = this.#req.headers;
    return headers["transfer-encoding"] !== undefined || (headers["content-length"] ?? "0") !== "0";
  }

  /** The body as a Node stream that errors with 413 past `bodyLimit`. */
  #limitedBody(): Readable {
    const req = this.#req;
    const limit = this.#init.bodyLimit;
    if (limit === Number.POSITIVE_INFINITY) return req;
    if (Number(req.headers["content-length"] ?? 0) > limit) {
      req.resume();
      const stream = new Readable({ read() {} });
      stream.destroy(bodyTooLarge(limit));
      return stream;
    }
    let seen = 0;
    req.on("data", (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limit) req.destroy(bodyTooLarge(limit));
    });
    return req;
  }

  #readAll(): Promise<Buffer> {
    if (this.#bodyUsed) return Promise.reject(new TypeError("Body is unusable: the body has already been read"));
    this.#bodyUsed = true;
    if (NO_BODY.has(this.method) || !this.#hasBody()) return Promise.resolve(Buffer.alloc(0));
    const stream = this.#limitedBody();
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.once("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
      stream.once("error", reject);
      stream.once("close", () => {
        if (!stream.readableEnded) reject(new DOMException("The client disconnected", "AbortError"));
      });
    });
  }

  /** A real `Request` for what the lazy one does not implement itself. */
  #real(): Request {
    if (this.#request === undefined) {
      const body = this.body;
      this.#request = new Request(this.url, {
        method: this.method,
        headers: this.headers,
        body,
        signal: this.signal,
        // @ts-expect-error: Node's fetch needs duplex for streamed bodies; DOM types lack it.
        duplex: body ? "half" : undefined,
      });
    }
    return this.#request;
  }
}

// Lets apps and libraries check `request instanceof Request`.
Object.setPrototypeOf(NodeRequest.prototype, Request.prototype);

function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(",")[0].trim() || undefined;
}

function bodyTooLarge(limit: number): AnyserverError {
  return new AnyserverError(`Request body larger than the limit of ${limit} bytes`, "BODY_TOO_LARGE");
}
