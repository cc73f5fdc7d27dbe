import { Readable } from "node:stream";
import { LazyRequest } from "../lazy-request.ts";
import type { UwsExchange } from "./exchange.ts";
import { headerValue } from "./head.ts";

/** What a UwsRequest needs to know about the server it came through. */
export interface UwsRequestInit {
  protocol: "http" | "https";
  trustProxy: boolean;
  /** `host:port` of the listener, for the URL of a request without a Host header. */
  authority: string;
}

/**
 * A `Request` over a uWS request, built lazily from the head the bridge copied: URL,
 * `Headers`, signal and body stream are made only when the app reads them. Body readers
 * (`text()`, `json()`…) collect the chunks uWS hands over, without any stream.
 */
export class UwsRequest extends LazyRequest {
  readonly #exchange: UwsExchange;
  readonly #init: UwsRequestInit;
  #url?: string;
  #headers?: Headers;

  constructor(exchange: UwsExchange, init: UwsRequestInit) {
    super();
    this.#exchange = exchange;
    this.#init = init;
  }

  get method(): string {
    return this.#exchange.head.method;
  }

  get url(): string {
    if (this.#url === undefined) {
      const head = this.#exchange.head;
      let protocol: string = this.#init.protocol;
      let host = headerValue(head, "host");
      if (this.#init.trustProxy) {
        protocol = firstValue(headerValue(head, "x-forwarded-proto")) ?? protocol;
        host = firstValue(headerValue(head, "x-forwarded-host")) ?? host;
      }
      const target = head.target;
      // Absolute-form targets (proxies) keep only their path; "//x" must not be read as a host.
      const path = target.startsWith("/") ? target : pathOf(target);
      this.#url = `${protocol}://${host || this.#init.authority}${path}`;
    }
    return this.#url;
  }

  get headers(): Headers {
    if (this.#headers === undefined) {
      const raw = this.#exchange.head.headers;
      const headers = new Headers();
      for (let i = 0; i < raw.length; i += 2) headers.append(raw[i], raw[i + 1]);
      this.#headers = headers;
    }
    return this.#headers;
  }

  /** Aborts when the client goes away before the response is complete. */
  get signal(): AbortSignal {
    return this.#exchange.signal;
  }

  protected get contentType(): string {
    return headerValue(this.#exchange.head, "content-type") ?? "";
  }

  protected hasBody(): boolean {
    return this.#exchange.body !== undefined;
  }

  protected openWebBody(): ReadableStream<Uint8Array> {
    return this.#exchange.body!.stream();
  }

  protected readBody(): Promise<Buffer> {
    return this.#exchange.body!.readAll();
  }

  protected openBody(): Readable {
    return Readable.fromWeb(this.openWebBody() as import("node:stream/web").ReadableStream<Uint8Array>);
  }
}

function firstValue(header: string | undefined): string | undefined {
  return header?.split(",")[0].trim() || undefined;
}

function pathOf(target: string): string {
  try {
    const url = new URL(target);
    return url.pathname + url.search;
  } catch {
    return `/${target}`;
  }
}
