import { Readable } from "node:stream";
import type { CgiHandler, CgiOutput } from "@anyserver/core/cgi";
import type { Connection } from "./connection.ts";
import { decodeParams } from "./params.ts";
import { ProtocolError } from "./records.ts";

/** More params than any real host sends for one request (nginx's header buffers hold 32 KiB). */
const MAX_PARAMS_BYTES = 1024 * 1024;

/**
 * One FastCGI request in the Responder role: collects FCGI_PARAMS, runs the app through the
 * shared CGI bridge with FCGI_STDIN as the body, and is the bridge's output (FCGI_STDOUT).
 */
export class Responder implements CgiOutput {
  readonly id: number;
  readonly keepConn: boolean;
  readonly #connection: Connection;
  readonly #abort = new AbortController();
  #params: Buffer[] | undefined = [];
  #paramsBytes = 0;
  #stdin: Readable | undefined;
  #stdinEnded = false;
  #done = false;

  constructor(connection: Connection, id: number, keepConn: boolean) {
    this.#connection = connection;
    this.id = id;
    this.keepConn = keepConn;
  }

  /** FCGI_PARAMS content; the empty record ends them and starts the app. */
  params(content: Buffer, handle: CgiHandler): void {
    if (!this.#params) throw new ProtocolError(`request ${this.id} sent FCGI_PARAMS after their end`);
    if (content.length > 0) {
      this.#paramsBytes += content.length;
      if (this.#paramsBytes > MAX_PARAMS_BYTES) {
        throw new ProtocolError(`request ${this.id} sent more than 1 MiB of FCGI_PARAMS`);
      }
      // The content is a view into the socket's buffer: keep a copy.
      this.#params.push(Buffer.from(content));
      return;
    }
    const params = decodeParams(this.#params.length === 1 ? this.#params[0] : Buffer.concat(this.#params));
    this.#params = undefined;
    const stdin = new Readable({ read: () => this.#connection.resumeReading() });
    this.#stdin = stdin;
    const native = { params, socket: this.#connection.socket, requestId: this.id };
    handle({ params, body: stdin, output: this, signal: this.#abort.signal, native })
      .finally(() => {
        // What the app left unread is not needed: drop it rather than hold the connection back.
        if (!this.#stdinEnded) stdin.destroy();
        this.#connection.resumeReading();
      })
      .catch(() => {}); // The bridge logs what failed; never an unhandled rejection here.
  }

  /** FCGI_STDIN content; the empty record ends the body. */
  stdin(content: Buffer): void {
    const stdin = this.#stdin;
    if (!stdin)
      throw new ProtocolError(`request ${this.id} sent FCGI_STDIN before the end of its FCGI_PARAMS`);
    if (this.#stdinEnded || stdin.destroyed) return;
    if (content.length === 0) {
      this.#stdinEnded = true;
      stdin.push(null);
    } else if (!stdin.push(Buffer.from(content))) {
      this.#connection.pauseReading();
    }
  }

  /** The host aborted the request, or the connection closed: `request.signal` aborts, the body errors. */
  cancel(reason: string): void {
    if (this.#done) return;
    this.#done = true;
    const error = new DOMException(reason, "AbortError");
    this.#abort.abort(error);
    if (!this.#stdinEnded) this.#stdin?.destroy(error);
  }

  // CgiOutput: the bridge writes the response here, as FCGI_STDOUT records.

  get closed(): boolean {
    return this.#done;
  }

  write(chunk: Uint8Array): boolean {
    return this.#done || this.#connection.writeStdout(this.id, chunk);
  }

  drain(): Promise<void> {
    return this.#done ? Promise.resolve() : this.#connection.drained();
  }

  end(chunk?: Uint8Array): void {
    if (this.#done) return;
    this.#done = true;
    this.#connection.completeRequest(this, chunk);
  }

  abort(): void {
    if (this.#done) return;
    this.#done = true;
    // Without FCGI_END_REQUEST and with the connection gone, the host knows the response is cut.
    this.#connection.destroy();
  }
}
