import type { LambdaHttpEvent, LambdaHttpResult } from "./types.ts";

/** What an event says about the request, before it becomes a `Request`. */
export interface RequestParts {
  method: string;
  /** The path as the source passes it (percent-encoded or decoded, see `encodePath`). */
  path: string;
  /** The query string, already encoded. */
  query: string;
  headers: Headers;
  /** The host to use when the request has no usable `Host` header. */
  domainName: string | undefined;
  body: string | null | undefined;
  isBase64Encoded: boolean | undefined;
}

/** A response's status and headers, as every result shape needs them. */
export interface ResponseHead {
  status: number;
  statusText: string;
  /** Every header but Set-Cookie, lower-case names, repeated headers joined with ", ". */
  fields: [string, string][];
  cookies: string[];
}

/** One kind of HTTP event: how to read its request and how to shape its result. */
export interface EventSource<E extends LambdaHttpEvent = any> {
  /** The event's origin, as log lines name it. */
  readonly name: "api-gateway-v1" | "api-gateway-v2" | "function-url" | "alb";
  request(event: E): RequestParts;
  /** The client address as the source saw it; with `trustProxy`, the first X-Forwarded-For entry. */
  remoteAddress(event: E, headers: Headers, trustProxy: boolean): string | undefined;
  result(event: E, head: ResponseHead, body: string, isBase64Encoded: boolean): LambdaHttpResult;
  /**
   * The metadata written before a streamed body (`HttpResponseStream.from`), or undefined
   * when this source cannot receive a stream and needs the buffered result instead.
   */
  prelude(event: E, head: ResponseHead): Record<string, unknown> | undefined;
  /** What this result format loses of the response, in one line for the log (once per handler), if anything. */
  loss?(event: E, head: ResponseHead): string | undefined;
}

/** Headers as a one-value-per-name map (repeated headers are already joined). */
export function singleValueMap(fields: [string, string][]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const [name, value] of fields) map[name] = value;
  return map;
}

/** Headers as a name → values map, Set-Cookie values kept apart. */
export function multiValueMap(fields: [string, string][], cookies: string[]): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const [name, value] of fields) map[name] = [value];
  if (cookies.length > 0) map["set-cookie"] = cookies;
  return map;
}
