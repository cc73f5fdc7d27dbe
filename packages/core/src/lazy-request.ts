import { Readable } from "node:stream";
import { AnyserverError } from "./errors.ts";

const NO_BODY = new Set(["GET", "HEAD"]);

/**
 * The part of a lazy `Request` every server bridge shares (node:http's, CGI's, FastCGI's):
 * body readers (`text()`, `json()`…) read the server's Node stream directly instead of
 * going through web streams, the body stream is made only when asked for, and anything
 * rarer is delegated to a real `Request` built on first use. It passes `instanceof Request`.
 */
export abstract class LazyRequest {
  #body?: ReadableStream<Uint8Array> | null;
  #request?: Request;
  #bodyUsed = false;

  abstract get method(): string;
  abstract get url(): string;
  abstract get headers(): Headers;
  abstract get signal(): AbortSignal;
  /** Whether the request carries a body at all (asked only for methods other than GET and HEAD). */
  protected abstract hasBody(): boolean;
  /** The body as a Node stream that errors with `bodyTooLarge` past the body limit; called at most once. */
  protected abstract openBody(): Readable;
  /** The request's Content-Type, for `blob()`. */
  protected abstract get contentType(): string;

  get body(): ReadableStream<Uint8Array> | null {
    if (this.#body === undefined) {
      if (NO_BODY.has(this.method) || !this.hasBody()) this.#body = null;
      else {
        this.#bodyUsed = true;
        this.#body = this.openWebBody();
      }
    }
    return this.#body;
  }

  get bodyUsed(): boolean {
    return this.#bodyUsed;
  }

  // Readers chain on the one read instead of awaiting each other: no extra promise per step.
  bytes(): Promise<Uint8Array> {
    return this.#readAll().then(
      (buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength),
    );
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#readAll().then(
      (buffer) =>
        buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer,
    );
  }

  text(): Promise<string> {
    return this.#readAll().then(toText);
  }

  json(): Promise<any> {
    return this.#readAll().then(parseJson);
  }

  blob(): Promise<Blob> {
    const type = this.contentType;
    return this.#readAll().then((buffer) => new Blob([buffer as Uint8Array<ArrayBuffer>], { type }));
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

  #readAll(): Promise<Buffer> {
    if (this.#bodyUsed)
      return Promise.reject(new TypeError("Body is unusable: the body has already been read"));
    this.#bodyUsed = true;
    if (NO_BODY.has(this.method) || !this.hasBody()) return Promise.resolve(Buffer.alloc(0));
    return this.readBody();
  }

  /** The body as a web stream; a bridge whose server has no Node streams (uWS) makes its own. */
  protected openWebBody(): ReadableStream<Uint8Array> {
    return Readable.toWeb(this.openBody()) as ReadableStream<Uint8Array>;
  }

  /** The whole body, read once; a bridge that can collect it without a Node stream overrides this. */
  protected readBody(): Promise<Buffer> {
    const stream = this.openBody();
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      // `on`, not `once`: each fires at most once here, and `once` wraps every listener.
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
      stream.on("error", reject);
      stream.on("close", () => {
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

function toText(buffer: Buffer): string {
  return buffer.toString("utf8");
}

function parseJson(buffer: Buffer): any {
  return JSON.parse(buffer.toString("utf8"));
}

// Lets apps and libraries check `request instanceof Request`.
Object.setPrototypeOf(LazyRequest.prototype, Request.prototype);

/**
 * `body` failing with `bodyTooLarge` once more than `limit` bytes arrive (at once when the
 * declared length is already larger); the rest of the body is drained, not buffered.
 */
export function limitBody(body: Readable, limit: number, declaredLength: number): Readable {
  if (limit === Number.POSITIVE_INFINITY) return body;
  if (declaredLength > limit) {
    body.resume();
    // Fails on the first read, once the reader listens: failing now would be an unheard 'error' event.
    return new Readable({
      read() {
        this.destroy(bodyTooLarge(limit));
      },
    });
  }
  // A copy that fails past the limit while the source is drained, not destroyed: destroying
  // node:http's request would close the socket before the 413 could be sent.
  let seen = 0;
  const limited = new Readable({ read: () => void body.resume() });
  const onData = (chunk: Buffer) => {
    seen += chunk.length;
    if (seen <= limit) {
      if (!limited.push(chunk)) body.pause();
      return;
    }
    body.off("data", onData);
    body.resume();
    limited.destroy(bodyTooLarge(limit));
  };
  body.on("data", onData);
  body.once("end", () => limited.push(null));
  body.once("error", (error) => limited.destroy(error));
  body.once("close", () => {
    if (!body.readableEnded) limited.destroy(new DOMException("The client disconnected", "AbortError"));
  });
  return limited;
}

/** The error a body stream fails with past the body limit; bridges answer it with 413. */
export function bodyTooLarge(limit: number): AnyserverError {
  return new AnyserverError(`Request body larger than the limit of ${limit} bytes`, "BODY_TOO_LARGE");
}

/** Whether the app failed on `bodyTooLarge` (read past the limit): a 413, not the app's fault. */
export function isBodyTooLarge(error: unknown): boolean {
  return (error as { code?: string } | undefined)?.code === "BODY_TOO_LARGE";
}
