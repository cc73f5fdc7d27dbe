import { bodyTooLarge } from "../lazy-request.ts";
import type { UwsExchange } from "./exchange.ts";

/**
 * Body bytes a layer in front of the bridge received before handing the request over
 * (hyper-express while async middleware ran), and the state it left the socket in.
 */
export interface UwsBodyPrelude {
  /** Chunks received so far, in order (kept: they must not be uWS's reused memory). */
  chunks: readonly Uint8Array[];
  /** The last chunk has arrived. */
  ended: boolean;
  /** The socket was paused (exchange `paused` state carries it over). */
  paused: boolean;
  /** The body can no longer be read (middleware consumed it): what reads fail with. */
  error?: Error;
}

/** Bytes of request body held for the app before uWS is told to stop reading the socket. */
const HIGH_WATER_MARK = 64 * 1024;

/**
 * A request body arriving through uWS's `onData`, which must be registered before the
 * route handler returns (uWS drops data nobody listens for). Chunks are copied (uWS
 * reuses their memory) and held until the app reads them; past the high-water mark the
 * socket is paused, so a slow or busy app is never buffered a whole upload.
 *
 * The app reads either `stream()` (a web stream with back-pressure) or `readAll()`
 * (`text()`, `json()`…): both settle from uWS's callback through promise jobs only, so a
 * pipelined request behind this one finds the response already written (uWS 20.30 closes
 * the connection if a pipelined request arrives while a response is pending).
 */
export class UwsBody {
  readonly #exchange: UwsExchange;
  readonly #limit: number;
  #chunks: Buffer[] = [];
  #held = 0;
  #received = 0;
  #ended = false;
  /** Nobody wants more data (failed, cancelled): chunks are dropped, the socket drained. */
  #dropping = false;
  #error?: unknown;
  #controller?: ReadableStreamDefaultController<Uint8Array>;
  #collector?: { resolve(body: Buffer): void; reject(error: unknown): void };

  constructor(exchange: UwsExchange, limit: number, prelude?: UwsBodyPrelude) {
    this.#exchange = exchange;
    this.#limit = limit;
    if (prelude) this.#takeOver(prelude);
    exchange.res.onData((chunk, isLast) => this.#onData(chunk, isLast));
  }

  /** The body as a web stream (`request.body`). */
  stream(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          if (this.#error !== undefined) return controller.error(this.#error);
          this.#controller = controller;
          for (const chunk of this.#take()) controller.enqueue(chunk);
          if (this.#ended) controller.close();
        },
        pull: () => this.#exchange.resume(),
        cancel: () => {
          this.#controller = undefined;
          this.#drop();
        },
      },
      { highWaterMark: HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
    );
  }

  /** The whole body (`text()`, `json()`, `arrayBuffer()`…). */
  readAll(): Promise<Buffer> {
    if (this.#error !== undefined) return Promise.reject(this.#error);
    if (this.#ended) return Promise.resolve(concat(this.#take()));
    return new Promise((resolve, reject) => {
      this.#collector = { resolve, reject };
      this.#exchange.resume();
    });
  }

  /** The body cannot complete: the client left, or it grew past the limit. */
  fail(error: unknown): void {
    if (this.#ended || this.#error !== undefined) return;
    this.#error = error;
    this.#controller?.error(error);
    this.#collector?.reject(error);
    this.#controller = undefined;
    this.#collector = undefined;
    this.#drop();
  }

  #onData(chunk: ArrayBuffer, isLast: boolean): void {
    if (chunk.byteLength > 0 && !this.#dropping) {
      this.#received += chunk.byteLength;
      if (this.#received > this.#limit) this.fail(bodyTooLarge(this.#limit));
      else this.#deliver(Buffer.from(new Uint8Array(chunk)));
    }
    if (!isLast) return;
    this.#ended = true;
    if (this.#dropping) return;
    this.#controller?.close();
    this.#collector?.resolve(concat(this.#take()));
  }

  /** Start from what another layer received before the bridge took the request over. */
  #takeOver({ chunks, ended, error }: UwsBodyPrelude): void {
    if (error) {
      this.#error = error;
      this.#drop();
      return;
    }
    for (const chunk of chunks) {
      this.#received += chunk.byteLength;
      this.#deliver(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
    if (this.#received > this.#limit) this.fail(bodyTooLarge(this.#limit));
    this.#ended = ended;
  }

  #deliver(chunk: Buffer): void {
    const controller = this.#controller;
    if (controller) {
      controller.enqueue(chunk);
      if ((controller.desiredSize ?? 1) <= 0) this.#exchange.pause();
      return;
    }
    this.#chunks.push(chunk);
    this.#held += chunk.byteLength;
    // Until the app reads all of it, hold no more than the high-water mark.
    if (!this.#collector && this.#held >= HIGH_WATER_MARK) this.#exchange.pause();
  }

  #take(): Buffer[] {
    const chunks = this.#chunks;
    this.#chunks = [];
    this.#held = 0;
    return chunks;
  }

  #drop(): void {
    this.#dropping = true;
    this.#take();
    this.#exchange.resume();
  }
}

function concat(chunks: Buffer[]): Buffer {
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}
