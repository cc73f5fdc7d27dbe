import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { AnyserverError } from "../errors.ts";
import { LazyRequest, limitBody } from "../lazy-request.ts";
import { http2StreamOf, isHttp2 } from "./http2.ts";

/** What a NodeRequest needs to know about where it was received. */
export interface NodeRequestInit {
  protocol: "http" | "https";
  trustProxy: boolean;
  bodyLimit: number;
}

/**
 * A `Request` over node:http's request, built lazily: nothing (URL, headers, signal,
 * body stream) is copied until the app reads it; body readers come from `LazyRequest`.
 */
export class NodeRequest extends LazyRequest {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #init: NodeRequestInit;
  #url?: string;
  #headers?: Headers;
  #abort?: AbortController;

  constructor(req: IncomingMessage, res: ServerResponse, init: NodeRequestInit) {
    super();
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
      let host = hostOf(req);
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
      // HTTP/2 names the host in :authority: the app reads it as Host, as over HTTP/1.1.
      const authority = this.#req.headers[":authority"];
      if (typeof authority === "string" && !headers.has("host")) headers.set("host", authority);
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

  protected get contentType(): string {
    return this.#req.headers["content-type"] ?? "";
  }

  protected hasBody(): boolean {
    const headers = this.#req.headers;
    // HTTP/2 frames the body itself: there is one unless the headers ended the stream.
    if (isHttp2(this.#req))
      return !http2StreamOf(this.#req).endAfterHeaders && headers["content-length"] !== "0";
    return headers["transfer-encoding"] !== undefined || (headers["content-length"] ?? "0") !== "0";
  }

  protected openBody(): Readable {
    // Middleware in front of the app (express.json(), koa-bodyparser) may have read it: fail, never hang.
    if (this.#req.readableDidRead) return bodyAlreadyRead();
    return limitBody(this.#req, this.#init.bodyLimit, Number(this.#req.headers["content-length"] ?? 0));
  }
}

function bodyAlreadyRead(): Readable {
  const stream = new Readable({ read() {} });
  const message =
    "The request body was already read by middleware in front of the app (a body parser such as express.json()). Mount that middleware only on the routes that need it, or read what it parsed from context.native";
  stream.destroy(new AnyserverError(message, "BODY_ALREADY_READ"));
  return stream;
}

function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(",")[0].trim() || undefined;
}

/** The Host the client named: its Host header, or HTTP/2's :authority. */
export function hostOf(req: IncomingMessage): string | undefined {
  return req.headers.host ?? (req.headers[":authority"] as string | undefined);
}
