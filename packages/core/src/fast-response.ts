/** What a bridge needs to write a FastResponse in one go: status, flat header list, body. */
export interface FastResponseParts {
  status: number;
  statusText: string;
  /** `[name, value, name, value, …]` with content-type and content-length filled in, as writeHead takes. */
  headers: string[];
  body: string | Uint8Array | null;
}

import { isHeaderName } from "./header-name.ts";

const TEXT = "text/plain;charset=UTF-8";

let isFast: (value: object) => boolean;

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

  static {
    // A brand check: one field lookup, where `instanceof` walks the prototype chain generically.
    isFast = (value) => #body in value;
  }

  constructor(body?: BodyInit | null, init?: ResponseInit) {
    this.#body = body ?? null;
    this.#init = init;
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
    this.#headers ??= new Headers(this.#init?.headers);
    return this.#headers;
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
   * (its body may be read) or the body is not a string or bytes.
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
    this.#response ??= new Response(this.#body, {
      status: this.#init?.status,
      statusText: this.#init?.statusText,
      headers: this.#headers ?? this.#init?.headers,
    });
    return this.#response;
  }
}

// Apps and libraries check `response instanceof Response`.
Object.setPrototypeOf(FastResponse.prototype, Response.prototype);

/** Whether `value` is a `FastResponse`. */
export function isFastResponse(value: unknown): value is FastResponse {
  return typeof value === "object" && value !== null && isFast(value);
}

/** Whether `value` is a `Response`: `instanceof Response`, with a FastResponse told apart cheaply first. */
export function isResponse(value: unknown): value is Response {
  return isFastResponse(value) || value instanceof Response;
}

/** The one-write parts of a FastResponse, or undefined for any other response. */
export function fastResponseParts(response: Response): FastResponseParts | undefined {
  return isFastResponse(response) ? response.parts() : undefined;
}
