/** What the access log, the metrics and the profiler learn about one request. */
export interface RequestRecord {
  /** When the request arrived, in epoch milliseconds. */
  time: number;
  /** The client's address (honouring trust-proxy), when the server knows it. */
  remote: string | undefined;
  /** Empty, as `target` and `protocol`, for a request refused before its request line was whole. */
  method: string;
  /** Path and query, as the client sent them. */
  target: string;
  /** `HTTP/1.1`, `HTTP/2.0`… */
  protocol: string;
  status: number;
  /** Response body bytes sent; undefined when unknown (the app threw). */
  bytes: number | undefined;
  /** From arrival to the last body byte handed to the server (or to the abort), in milliseconds. */
  durationMs: number;
  referer: string | null;
  userAgent: string | null;
  /** The client went away, or the body stream failed, before the body was complete. */
  aborted: boolean;
}
