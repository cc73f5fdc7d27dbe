/** What a bridge needs to write a FastResponse in one go: status, flat header list, body. */
export interface FastResponseParts {
  status: number;
  statusText: string;
  /** `[name, value, name, value, …]` with content-type and content-length filled in, as writeHead takes. */
  headers: string[];
  body: string | Uint8Array | null;
}

import { assertHeader, isReasonPhrase } from "./header-check.ts";
import { isHeaderName } from "./header-name.ts";

const TEXT = "text/plain;charset=UTF-8";

/**
 * The brand, shared through the global symbol registry: a FastResponse made by another copy of
 * this package (an app and an adapter resolving different versions) is still written in one go.
 * A new key when `FastResponseParts` changes shape.
 */
const FAST_V1 = Symbol.for("anyserver.FastResponse.v1");

/**
 * An opt-in `Response` for the hot path: it keeps the body and init as given, and a bridge
 * writes it with one `writeHead` + `end` — no undici `Response`, `Headers` or web stream is
 * built. It passes `instanceof Response` and behaves like one when read: anything that reads
 * it (body, text(), clone()…) builds the real `Response` once and delegates to it.
 */
export class FastResponse {
  readonly #body: BodyInit | null;
  readonly #init: ResponseInit | undefined;
  #headers?: Headers;
  #response?: Response;
  /** parts() once computed: the access log and the bridge both ask. Dropped when headers are handed out. */
  #parts?: FastResponseParts;

  /** Throws as `Response` does: a RangeError for a status outside 200-599, a TypeError for a bad statusText. */
  constructor(body?: BodyInit | null, init?: ResponseInit) {
    this.#body = body ?? null;
    this.#init = init;
    if (init?.status !== undefined && !(init.status >= 200 && init.status <= 599))
      throw new RangeError(
        `init["status"] must be in the range of 200 to 599, inclusive (got ${init.status}).`,
      );
    if (init?.statusText !== undefined && !isReasonPhrase(init.statusText))
      throw new TypeError(
        `Invalid statusText ${JSON.stringify(init.statusText)}: CR, LF and control characters are not allowed.`,
      );
  }

  static json(data: unknown, init?: ResponseInit): FastResponse {
    const headers = new Headers(init?.headers);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
    return new FastResponse(JSON.stringify(data), { ...init, headers });
  }

  get status(): number {
    return this.#init?.status ?? 200;
  }
  get statusText(): string {
    return this.#init?.statusText ?? "";
  }
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
  get headers(): Headers {
    this.#parts = undefined;
    if (this.#response) return this.#response.headers;
    if (this.#headers) return this.#headers;
    const body = this.#body;
    // Blob, FormData, URLSearchParams…: the Response derives their content-type, so ask it.
    if (body !== null && typeof body !== "string" && !(body instanceof Uint8Array))
      return this.#real().headers;
    const headers = new Headers(this.#init?.headers);
    if (typeof body === "string" && !headers.has("content-type")) headers.set("content-type", TEXT);
    this.#headers = headers;
    return headers;
  }
  get type(): ResponseType {
    return "default";
  }
  get url(): string {
    return "";
  }
  get redirected(): boolean {
    return false;
  }
  // Typed as Response's own members, so a FastResponse is assignable to Response whatever the TypeScript lib.
  get body(): Response["body"] {
    return this.#real().body;
  }
  get bodyUsed(): boolean {
    return this.#response?.bodyUsed ?? false;
  }
  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#real().arrayBuffer();
  }
  blob(): Promise<Blob> {
    return this.#real().blob();
  }
  bytes(): ReturnType<Response["bytes"]> {
    return this.#real().bytes();
  }
  formData(): Promise<FormData> {
    return this.#real().formData();
  }
  json(): Promise<any> {
    return this.#real().json();
  }
  text(): Promise<string> {
    return this.#real().text();
  }
  clone(): Response {
    return this.#real().clone();
  }
  get [Symbol.toStringTag](): string {
    return "Response";
  }

  /**
   * The parts to write in one go, or undefined when the real Response was already built
   * (its body may be read) or the body is not a string or bytes. Throws a TypeError for a
   * header HTTP forbids, as `new Response()` would have (headers are kept unchecked until here).
   */
  parts(): FastResponseParts | undefined {
    if (this.#response) return undefined;
    if (this.#parts) return this.#parts;
    const body = this.#body;
    const isText = typeof body === "string";
    if (body !== null && !isText && !(body instanceof Uint8Array)) return undefined;
    const init = this.#headers ?? this.#init?.headers;
    const headers: string[] = [];
    if (Array.isArray(init)) for (const [name, value] of init) headers.push(name, value);
    // An object literal, the usual init, is told apart without `instanceof`'s prototype walk.
    else if (init?.constructor !== Object && init instanceof Headers) {
      for (const [name, value] of init) headers.push(name, value);
    } else if (init) for (const name in init) headers.push(name, (init as Record<string, string>)[name]);
    let hasType = false;
    let hasLength = false;
    for (let i = 0; i < headers.length; i += 2) {
      const name = headers[i];
      // Headers would have made a number a string; uWS takes only strings.
      if (typeof headers[i + 1] !== "string") headers[i + 1] = String(headers[i + 1]);
      assertHeader(name, headers[i + 1]);
      if (isHeaderName(name, "content-type")) hasType = true;
      else if (isHeaderName(name, "content-length")) hasLength = true;
    }
    if (isText && !hasType) headers.push("content-type", TEXT);
    if (body !== null && !hasLength)
      headers.push("content-length", String(isText ? Buffer.byteLength(body) : body.byteLength));
    this.#parts = { status: this.status, statusText: this.statusText, headers, body };
    return this.#parts;
  }

  #real(): Response {
    if (this.#response) return this.#response;
    try {
      this.#response = new Response(this.#body, {
        status: this.#init?.status,
        statusText: this.#init?.statusText,
        headers: this.#headers ?? this.#init?.headers,
      });
    } catch (error) {
      // Refused (a header HTTP forbids): nothing will ever read the app's stream, so cancel it now.
      if (this.#body instanceof ReadableStream) this.#body.cancel(error).catch(() => {});
      throw error;
    }
    return this.#response;
  }
}

// Apps and libraries check `response instanceof Response`.
Object.setPrototypeOf(FastResponse.prototype, Response.prototype);
Object.defineProperty(FastResponse.prototype, FAST_V1, { value: true });

/** Whether `value` is a `FastResponse` (of this or another copy of the package). */
export function isFastResponse(value: unknown): value is FastResponse {
  // One property lookup, where `instanceof` walks the prototype chain generically.
  return typeof value === "object" && value !== null && (value as { [FAST_V1]?: boolean })[FAST_V1] === true;
}

/** Whether `value` is a `Response`: `instanceof Response`, with a FastResponse told apart cheaply first. */
export function isResponse(value: unknown): value is Response {
  return isFastResponse(value) || value instanceof Response;
}

/** The one-write parts of a FastResponse, or undefined for any other response. */
export function fastResponseParts(response: Response): FastResponseParts | undefined {
  return isFastResponse(response) ? response.parts() : undefined;
}
