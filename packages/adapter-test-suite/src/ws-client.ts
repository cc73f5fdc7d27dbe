import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { connect, type Socket } from "node:net";
import WebSocket from "ws";
import { within } from "./wait.ts";

/** A message as the client received it. */
export interface Received {
  data: Buffer;
  binary: boolean;
}

/** A `ws` client that queues what it receives, so a case can await messages in order. */
export class WsClient {
  readonly socket: WebSocket;
  readonly #queue: Received[] = [];
  readonly #waiters: ((message: Received) => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on("message", (data: Buffer, binary: boolean) => {
      const message = { data, binary };
      const waiter = this.#waiters.shift();
      if (waiter) waiter(message);
      else this.#queue.push(message);
    });
    this.closed = new Promise((resolve) =>
      socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  /** The next message (already received, or to come), failing after `ms`. */
  next(ms = 10_000): Promise<Received> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    return within(new Promise((resolve) => this.#waiters.push(resolve)), ms, "No WebSocket message arrived");
  }

  /** The next message as text. */
  async text(ms?: number): Promise<string> {
    return (await this.next(ms)).data.toString();
  }

  /** The close the server sent (or saw), failing after `ms`. */
  closeEvent(ms = 10_000): Promise<{ code: number; reason: string }> {
    return within(this.closed, ms, "The WebSocket did not close");
  }
}

/** Opens clients against one server and terminates them all at the end of a case. */
export class WsClients {
  readonly #port: number;
  readonly #opened = new Set<WebSocket>();
  readonly #raw = new Set<Socket>();

  constructor(port: number) {
    this.#port = port;
  }

  url(path: string): string {
    return `ws://127.0.0.1:${this.#port}${path}`;
  }

  /** A connected client; fails with the status when the server refuses the upgrade. */
  async open(path: string, options: WebSocket.ClientOptions = {}): Promise<WsClient> {
    const socket = new WebSocket(this.url(path), { handshakeTimeout: 10_000, ...options });
    this.#opened.add(socket);
    const client = new WsClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("unexpected-response", (_request, response) =>
        reject(new Error(`The server refused the upgrade to ${path} with ${response.statusCode}`)),
      );
      socket.once("error", reject);
    });
    return client;
  }

  /** The response to an upgrade the server should refuse: status, headers and body. */
  refused(
    path: string,
    options: WebSocket.ClientOptions = {},
  ): Promise<{ response: IncomingMessage; body: string }> {
    const socket = new WebSocket(this.url(path), { handshakeTimeout: 10_000, ...options });
    this.#opened.add(socket);
    socket.on("error", () => {});
    const refusal = new Promise<{ response: IncomingMessage; body: string }>((resolve, reject) => {
      socket.once("open", () => reject(new Error(`The server accepted the upgrade to ${path}`)));
      socket.once("unexpected-response", (_request, response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ response, body }));
        response.on("error", reject);
      });
    });
    return within(refusal, 10_000, `The upgrade to ${path} got no answer`);
  }

  /** A raw TCP socket after a completed handshake: for frames and behaviours `ws` will not produce. */
  async raw(path: string): Promise<Socket> {
    const socket = connect(this.#port, "127.0.0.1");
    this.#raw.add(socket);
    socket.on("error", () => {});
    const key = randomBytes(16).toString("base64");
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${this.#port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    const head = await within(
      new Promise<string>((resolve, reject) => {
        let seen = "";
        const onData = (chunk: Buffer) => {
          seen += chunk.toString("latin1");
          if (!seen.includes("\r\n\r\n")) return;
          socket.off("data", onData);
          // Anything after the head (an early frame) is not needed by the cases that use this.
          resolve(seen.slice(0, seen.indexOf("\r\n\r\n")));
        };
        socket.on("data", onData);
        socket.once("close", () =>
          reject(new Error(`The server closed the raw upgrade to ${path}: ${seen}`)),
        );
      }),
      10_000,
      `The raw upgrade to ${path} got no answer`,
    );
    if (!head.startsWith("HTTP/1.1 101"))
      throw new Error(`The raw upgrade to ${path} got ${head.split("\r\n")[0]}`);
    socket.pause();
    return socket;
  }

  dispose(): void {
    for (const socket of this.#opened) socket.terminate();
    for (const socket of this.#raw) socket.destroy();
  }
}

/** A masked client frame with `opcode` (RFC 6455 §5.2). */
export function clientFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
  return Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | payload.length]), mask, masked]);
}
