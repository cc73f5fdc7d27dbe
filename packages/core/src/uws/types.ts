/**
 * The parts of uWebSockets.js the bridge uses, typed by shape so core never depends on
 * uWS: the adapters pass uWS's own objects, which fit these interfaces.
 */

/** What uWS accepts as a string: text or bytes. */
export type UwsRecognizedString = string | ArrayBuffer | Uint8Array;

/** uWS's request: valid only until the route handler returns or first awaits. */
export interface UwsHttpRequest {
  /** The method, lower-cased by uWS. */
  getMethod(): string;
  /** The path as sent, without the query. */
  getUrl(): string;
  /** The raw query string without `?` (uWS 20.30 gives undefined when there is none). */
  getQuery(): string | undefined;
  /** Every header line, names lower-cased, repeated headers one call each. */
  forEach(callback: (name: string, value: string) => void): void;
}

/** uWS's response: valid until `onAborted` runs or the response is ended. */
export interface UwsHttpResponse {
  writeStatus(status: UwsRecognizedString): unknown;
  writeHeader(name: UwsRecognizedString, value: UwsRecognizedString): unknown;
  /** Chunked-encoding write; false when uWS had to buffer (back-pressure). */
  write(chunk: UwsRecognizedString): boolean;
  end(body?: UwsRecognizedString, closeConnection?: boolean): unknown;
  /** Ends without a body; with no argument uWS writes no Content-Length (HEAD, 204, 304). */
  endWithoutBody(): unknown;
  /** Writes what the socket takes of `chunk` toward a `totalSize` body: `[ok, done]`. */
  tryEnd(chunk: UwsRecognizedString, totalSize: number): [boolean, boolean];
  /** Cuts the connection at once; `onAborted` runs. */
  close(): unknown;
  getWriteOffset(): number;
  onWritable(handler: (offset: number) => boolean): unknown;
  onAborted(handler: () => void): unknown;
  onData(handler: (chunk: ArrayBuffer, isLast: boolean) => void): unknown;
  getRemoteAddress(): ArrayBuffer;
  /** Runs `callback` with writes batched into one syscall. */
  cork(callback: () => void): unknown;
  pause(): void;
  resume(): void;
}

/** uWS's listen socket: opaque, closed with `us_listen_socket_close`. */
export type UwsListenSocket = object;
