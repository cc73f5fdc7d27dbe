import { isValidHost } from "../host.ts";
import type { UwsHttpRequest } from "./types.ts";

/**
 * What the bridge keeps of a request's head. uWS frees its HttpRequest when the route
 * handler returns or first awaits, so this is copied at once: strings only, no `Headers`.
 */
export interface UwsRequestHead {
  /** Upper-case method. */
  readonly method: string;
  /** Path and query exactly as the client sent them. */
  readonly target: string;
  /** `[name, value, …]`, names lower-case, a repeated header once per line. */
  readonly headers: readonly string[];
  /** The declared Content-Length, or -1 without one. */
  readonly contentLength: number;
  /** Whether a Transfer-Encoding (chunked) body follows. */
  readonly chunked: boolean;
  /** Set when the head must be refused before the app sees it: 400 (ambiguous framing) or 431. */
  readonly refuse?: 400 | 431;
}

// uWS 20.30 lower-cases methods (even getCaseSensitiveMethod): upper-case the usual ones without allocating.
const METHODS: Record<string, string> = {
  get: "GET",
  head: "HEAD",
  post: "POST",
  put: "PUT",
  patch: "PATCH",
  delete: "DELETE",
  options: "OPTIONS",
};

/** Copy the head out of uWS's request; call it synchronously in the route handler. */
export function readRequestHead(req: UwsHttpRequest, maxHeaderSize: number): UwsRequestHead {
  const method = req.getMethod();
  const query = req.getQuery();
  const path = req.getUrl();
  const headers: string[] = [];
  req.forEach((name, value) => {
    headers.push(name, value);
  });
  return createRequestHead(
    METHODS[method] ?? method.toUpperCase(),
    query ? `${path}?${query}` : path,
    headers,
    maxHeaderSize,
  );
}

/**
 * A head from parts already copied (hyper-express after async middleware). Framing that
 * could smuggle a second request (conflicting Content-Length, or one beside
 * Transfer-Encoding) is refused, as node:http does; uWS 20.30 would take the first value.
 */
export function createRequestHead(
  method: string,
  target: string,
  headers: string[],
  maxHeaderSize: number,
): UwsRequestHead {
  let size = method.length + target.length + 12;
  let contentLength = -1;
  let chunked = false;
  let refuse: 400 | 431 | undefined;
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i];
    const value = headers[i + 1];
    size += name.length + value.length + 4;
    if (name === "content-length") {
      const length = /^\d+$/.test(value) ? Number(value) : Number.NaN;
      if (Number.isNaN(length) || (contentLength !== -1 && length !== contentLength)) refuse = 400;
      contentLength = length;
    } else if (name === "transfer-encoding") chunked = true;
    // No URL can hold such a Host: the client's mistake, refused before the app gets an unusable request.url.
    else if (name === "host" && !isValidHost(value)) refuse = 400;
  }
  if (chunked && contentLength !== -1) refuse = 400;
  // uWS 20.30 takes heads of any size; node:http's limit (16 KiB) keeps memory per request bounded.
  if (size > maxHeaderSize) refuse = 431;
  return { method, target, headers, contentLength, chunked, refuse };
}

/** The first value of header `name` (lower-case), or undefined. */
export function headerValue(head: UwsRequestHead, name: string): string | undefined {
  const headers = head.headers;
  for (let i = 0; i < headers.length; i += 2) if (headers[i] === name) return headers[i + 1];
  return undefined;
}
