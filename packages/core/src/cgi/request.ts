import type { Readable } from "node:stream";
import { LazyRequest, limitBody } from "../lazy-request.ts";

/** CGI meta-variables (RFC 3875): a CGI program's environment, a FastCGI request's params. */
export type CgiParams = Readonly<Record<string, string | undefined>>;

/** What a CgiRequest needs beside the meta-variables. */
export interface CgiRequestInit {
  /** The request body: CGI's stdin, FastCGI's FCGI_STDIN stream; `null` when there is none. */
  body: Readable | null;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
  trustProxy: boolean;
  bodyLimit: number;
}

/**
 * A `Request` over CGI meta-variables, built lazily like NodeRequest: the URL and headers
 * are assembled from `REQUEST_URI`, `HTTP_*` & co. only when the app reads them.
 */
export class CgiRequest extends LazyRequest {
  readonly #params: CgiParams;
  readonly #init: CgiRequestInit;
  #url?: string;
  #headers?: Headers;

  constructor(params: CgiParams, init: CgiRequestInit) {
    super();
    this.#params = params;
    this.#init = init;
  }

  get method(): string {
    return this.#params.REQUEST_METHOD || "GET";
  }

  get url(): string {
    if (this.#url === undefined) this.#url = requestUrl(this.#params, this.#init.trustProxy);
    return this.#url;
  }

  get headers(): Headers {
    if (this.#headers === undefined) this.#headers = headersOf(this.#params);
    return this.#headers;
  }

  get signal(): AbortSignal {
    return this.#init.signal;
  }

  protected get contentType(): string {
    return this.#params.CONTENT_TYPE ?? "";
  }

  /** RFC 3875 §4.1.2: a body comes with CONTENT_LENGTH; FastCGI hosts streaming a chunked upload send none. */
  protected hasBody(): boolean {
    if (this.#init.body === null) return false;
    const length = this.#params.CONTENT_LENGTH;
    return length ? length !== "0" : this.#params.HTTP_TRANSFER_ENCODING !== undefined;
  }

  protected openBody(): Readable {
    return limitBody(this.#init.body!, this.#init.bodyLimit, Number(this.#params.CONTENT_LENGTH) || 0);
  }
}

/** The URL the client asked for: scheme and host from HTTP_HOST / HTTPS (or X-Forwarded-* with trustProxy), then the target. */
export function requestUrl(params: CgiParams, trustProxy: boolean): string {
  let scheme = params.REQUEST_SCHEME || (isOn(params.HTTPS) ? "https" : "http");
  let host = params.HTTP_HOST;
  if (trustProxy) {
    scheme = firstValue(params.HTTP_X_FORWARDED_PROTO) ?? scheme;
    host = firstValue(params.HTTP_X_FORWARDED_HOST) ?? host;
  }
  return `${scheme}://${host || serverAuthority(params, scheme)}${requestTarget(params)}`;
}

/** The request target: `REQUEST_URI` as the client sent it, else rebuilt from SCRIPT_NAME, PATH_INFO and QUERY_STRING. */
export function requestTarget(params: CgiParams): string {
  const uri = params.REQUEST_URI;
  if (uri) {
    if (uri.startsWith("/")) return uri;
    // Absolute-form targets (from proxies) keep their path and query only; no URL at all is "/".
    if (!URL.canParse(uri, "http://x")) return "/";
    const url = new URL(uri, "http://x");
    return url.pathname + url.search;
  }
  // PATH_INFO arrives decoded: encode it again, including the characters that would end a path.
  const path = encodeURI(`${params.SCRIPT_NAME ?? ""}${params.PATH_INFO ?? ""}` || "/").replace(
    /[?#]/g,
    (c) => (c === "?" ? "%3F" : "%23"),
  );
  return params.QUERY_STRING ? `${path}?${params.QUERY_STRING}` : path;
}

/** The request headers: `HTTP_*` meta-variables plus CONTENT_TYPE and CONTENT_LENGTH. */
function headersOf(params: CgiParams): Headers {
  const headers = new Headers();
  const contentType = params.CONTENT_TYPE;
  const contentLength = params.CONTENT_LENGTH;
  if (contentType) headers.set("content-type", contentType);
  if (contentLength) headers.set("content-length", contentLength);
  for (const key in params) {
    if (!key.startsWith("HTTP_")) continue;
    const value = params[key];
    if (value === undefined) continue;
    const name = key.slice(5).toLowerCase().replaceAll("_", "-");
    // nginx passes Content-Type and Content-Length twice: as CONTENT_* and as HTTP_CONTENT_*.
    if ((name === "content-type" && contentType) || (name === "content-length" && contentLength)) continue;
    try {
      headers.append(name, value);
    } catch {
      // A variable no HTTP header could have produced (set by the host's config): not a header.
    }
  }
  return headers;
}

/** SERVER_NAME and SERVER_PORT as a URL authority, for requests without a Host header (HTTP/1.0). */
function serverAuthority(params: CgiParams, scheme: string): string {
  const name = params.SERVER_NAME || params.SERVER_ADDR || "localhost";
  const host = name.includes(":") && !name.startsWith("[") ? `[${name}]` : name;
  const port = params.SERVER_PORT;
  return port && port !== (scheme === "https" ? "443" : "80") ? `${host}:${port}` : host;
}

/** HTTPS is "on" (Apache, nginx, lighttpd) or "1"; unset, empty or "off" means plain HTTP. */
function isOn(value: string | undefined): boolean {
  return value !== undefined && value !== "" && value !== "0" && value.toLowerCase() !== "off";
}

/** The first of a comma-separated header value. */
export function firstValue(value: string | undefined): string | undefined {
  return value?.split(",")[0].trim() || undefined;
}
