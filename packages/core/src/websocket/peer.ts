import { randomUUID } from "node:crypto";
import type { WebSocketHub } from "./hub.ts";
import { toPayload } from "./message.ts";
import type { WebSocketPeer } from "./types.ts";

/** What a peer is made with: the upgrade as the `upgrade` hook saw and accepted it. */
export interface PeerInit {
  request: Request;
  remoteAddress: string | undefined;
  context: Record<string, unknown>;
}

/**
 * The peer the hooks see, shared by every server family: checks (closed, back-pressure,
 * close codes) live here; each family writes frames its own way.
 */
export abstract class Peer implements WebSocketPeer {
  readonly request: Request;
  readonly remoteAddress: string | undefined;
  readonly context: Record<string, unknown>;
  readonly topics = new Set<string>();
  /** Set once the server saw the connection close: nothing may touch the socket after. */
  closed = false;
  /** Heard from the client since the last idle check. */
  alive = true;
  protected readonly hub: WebSocketHub;
  #id?: string;

  constructor(hub: WebSocketHub, init: PeerInit) {
    this.hub = hub;
    this.request = init.request;
    this.remoteAddress = init.remoteAddress;
    this.context = init.context;
  }

  get id(): string {
    this.#id ??= randomUUID();
    return this.#id;
  }

  abstract get bufferedAmount(): number;

  send(data: unknown): boolean {
    if (this.closed || this.bufferedAmount > this.hub.maxBackpressure) return false;
    return this.write(toPayload(data));
  }

  publish(topic: string, data: unknown): void {
    this.hub.publish(String(topic), toPayload(data), this);
  }

  subscribe(topic: string): void {
    if (this.closed) return;
    this.topics.add(String(topic));
    this.hub.fanout.subscribe(this, String(topic));
  }

  unsubscribe(topic: string): void {
    if (!this.topics.delete(String(topic)) || this.closed) return;
    this.hub.fanout.unsubscribe(this, String(topic));
  }

  close(code = 1000, reason = ""): void {
    assertCloseFrame(code, reason);
    if (!this.closed) this.end(code, reason);
  }

  terminate(): void {
    if (!this.closed) this.cut();
  }

  toString(): string {
    return this.id;
  }

  /** Write one frame, unless the server refuses it; false when it was dropped. */
  protected abstract write(payload: string | Uint8Array): boolean;
  /** Start the closing handshake after what is already queued. */
  protected abstract end(code: number, reason: string): void;
  /** Drop the connection without a handshake. */
  abstract cut(): void;
  /** Graceful shutdown: close with `code` once what the app sent is on its way. */
  abstract shutdown(code: number, reason: string): void;
  /** Ask the client for a sign of life (idle check). */
  abstract ping(): void;
}

/** The close codes RFC 6455 lets a server send, and a reason that fits a close frame. */
function assertCloseFrame(code: number, reason: string): void {
  const valid =
    Number.isInteger(code) &&
    ((code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
      (code >= 3000 && code <= 4999));
  if (!valid) {
    throw new TypeError(
      `[anyserver] peer.close(${code}): not a close code a server may send. Use 1000 (normal), 1001 (going away), 1008 (policy), 1011 (error) or your own 3000–4999.`,
    );
  }
  if (Buffer.byteLength(reason) > 123) {
    throw new TypeError(
      "[anyserver] peer.close(code, reason): the reason is longer than 123 bytes. Shorten it.",
    );
  }
}
