import type { Socket } from "node:net";
import { errorLine, type Logger } from "@anyserver/core";
import type { CgiHandler } from "@anyserver/core/cgi";
import { managementReply } from "./management.ts";
import {
  ABORT_REQUEST,
  BEGIN_REQUEST,
  DATA,
  endRequestRecord,
  type FcgiRecord,
  KEEP_CONN,
  MAX_CONTENT,
  PARAMS,
  ProtocolError,
  REQUEST_COMPLETE,
  RESPONDER,
  RecordReader,
  recordHeader,
  STDIN,
  STDOUT,
  UNKNOWN_ROLE,
} from "./records.ts";
import { Responder } from "./responder.ts";

/** How long a connection idle at shutdown stays open, so a request the host already sent on it is answered. */
const IDLE_CLOSE_WINDOW_MS = 250;

/**
 * One connection from the web server: reads records, runs the requests on it (several at
 * once when the host multiplexes), and writes their responses with the socket's back-pressure.
 * A record that breaks the protocol closes this connection only, with one log line.
 */
export class Connection {
  readonly socket: Socket;
  readonly #handle: CgiHandler;
  readonly #logger: Logger;
  readonly #requests = new Map<number, Responder>();
  readonly #reader = new RecordReader();
  #closing = false;
  #paused = false;
  #drain: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(socket: Socket, handle: CgiHandler, logger: Logger) {
    this.socket = socket;
    this.#handle = handle;
    this.#logger = logger;
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.#receive(chunk));
    socket.on("drain", () => this.#wakeWriters());
    // ECONNRESET and EPIPE mean the host went away; "close" follows and cancels what is in flight.
    socket.on("error", () => {});
    socket.on("close", () => this.#closed());
  }

  /** Requests in flight on this connection. */
  get active(): number {
    return this.#requests.size;
  }

  /** Graceful shutdown: finish what is in flight, answer what the host already sent, then close. */
  closeWhenIdle(): void {
    this.#closing = true;
    if (this.#requests.size === 0) this.#endSoon();
  }

  destroy(): void {
    this.socket.destroy();
  }

  pauseReading(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.socket.pause();
  }

  resumeReading(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.socket.resume();
  }

  /** Write response bytes as FCGI_STDOUT records; false when the caller should wait for `drained()`. */
  writeStdout(requestId: number, chunk: Uint8Array): boolean {
    const socket = this.socket;
    if (socket.destroyed) return true;
    socket.cork();
    let ok = true;
    for (let offset = 0; offset < chunk.byteLength; offset += MAX_CONTENT) {
      const part = chunk.subarray(offset, offset + MAX_CONTENT);
      socket.write(recordHeader(STDOUT, requestId, part.byteLength));
      ok = socket.write(part);
    }
    socket.uncork();
    return ok;
  }

  /** Resolves when the socket can take more, or closed. */
  drained(): Promise<void> {
    if (!this.socket.writableNeedDrain || this.socket.destroyed) return Promise.resolve();
    this.#drain ??= new Promise((resolve) => (this.#wake = resolve));
    return this.#drain;
  }

  /** The response is complete: its last bytes, the end of FCGI_STDOUT and FCGI_END_REQUEST, in one write. */
  completeRequest(request: Responder, chunk?: Uint8Array): void {
    const socket = this.socket;
    if (!socket.destroyed) {
      socket.cork();
      if (chunk?.byteLength) this.writeStdout(request.id, chunk);
      socket.write(recordHeader(STDOUT, request.id, 0));
      socket.write(endRequestRecord(request.id, 0, REQUEST_COMPLETE));
      socket.uncork();
    }
    this.#release(request);
  }

  #receive(chunk: Buffer): void {
    try {
      this.#reader.push(chunk, (record) => this.#dispatch(record));
    } catch (error) {
      const why = error instanceof ProtocolError ? error.message : errorLine(error);
      this.#logger.warn(`FastCGI connection closed after a malformed record: ${why}`);
      this.destroy();
    }
  }

  #dispatch({ type, requestId, content }: FcgiRecord): void {
    if (requestId === 0) {
      this.socket.write(managementReply(type, content));
      return;
    }
    // Records of a request that is not active (finished, aborted) are ignored (FastCGI 1.0 §3.3).
    const request = this.#requests.get(requestId);
    if (type === BEGIN_REQUEST) this.#begin(requestId, content);
    else if (type === PARAMS) request?.params(content, this.#handle);
    else if (type === STDIN) request?.stdin(content);
    else if (type === ABORT_REQUEST) {
      if (request) this.#abortRequest(request);
    } else if (type !== DATA) {
      // FCGI_DATA is read by the Filter role only, which is declined; anything else is not ours to receive.
      throw new ProtocolError(`record type ${type} does not go from a web server to an application`);
    }
  }

  #begin(requestId: number, content: Buffer): void {
    if (content.length !== 8) {
      throw new ProtocolError(`FCGI_BEGIN_REQUEST carries ${content.length} bytes instead of 8`);
    }
    if (this.#requests.has(requestId))
      throw new ProtocolError(`request ${requestId} began while still active`);
    const keepConn = (content[2] & KEEP_CONN) !== 0;
    if (content.readUInt16BE(0) !== RESPONDER) {
      // Authorizer and Filter roles are not served; the host hears so and the connection lives on.
      this.socket.write(endRequestRecord(requestId, 0, UNKNOWN_ROLE));
      if (!keepConn) this.#closing = true;
      if (this.#closing && this.#requests.size === 0) this.socket.end();
      return;
    }
    this.#requests.set(requestId, new Responder(this, requestId, keepConn));
  }

  /** FCGI_ABORT_REQUEST: the client left; the request ends at once with FCGI_END_REQUEST. */
  #abortRequest(request: Responder): void {
    request.cancel("The web server aborted the request");
    if (!this.socket.destroyed) this.socket.write(endRequestRecord(request.id, 1, REQUEST_COMPLETE));
    this.#release(request);
  }

  #release(request: Responder): void {
    if (this.#requests.get(request.id) !== request) return;
    this.#requests.delete(request.id);
    // Without FCGI_KEEP_CONN the application closes the connection after the response (§5.1).
    if (!request.keepConn) this.#closing = true;
    if (this.#closing && this.#requests.size === 0) this.socket.end();
  }

  #endSoon(): void {
    setTimeout(() => {
      if (this.#requests.size === 0) this.socket.end();
    }, IDLE_CLOSE_WINDOW_MS).unref();
  }

  #wakeWriters(): void {
    const wake = this.#wake;
    this.#drain = this.#wake = undefined;
    wake?.();
  }

  #closed(): void {
    const truncated = this.#reader.partial && this.#requests.size === 0;
    for (const request of this.#requests.values()) request.cancel("The web server closed the connection");
    this.#requests.clear();
    this.#wakeWriters();
    if (truncated) this.#logger.warn("FastCGI connection closed in the middle of a record");
  }
}
