import { appErrorLine } from "../logger.ts";
import type { Logger } from "../types.ts";
import { Message } from "./message.ts";
import type { Peer } from "./peer.ts";
import { joinRelay, relayPublish } from "./relay.ts";
import type { WebSocketHooks, WebSocketOptions, WebSocketUpgrade } from "./types.ts";

/** How a family delivers to topic subscribers on this server (a map of peers, or uWS's own pub/sub). */
export interface Fanout {
  subscribe(peer: Peer, topic: string): void;
  unsubscribe(peer: Peer, topic: string): void;
  /** Send to every subscriber of `topic` except `from`. */
  publish(topic: string, payload: string | Uint8Array, from?: Peer): void;
  /** Forget a closed peer's subscriptions. */
  forget(peer: Peer): void;
}

export interface HubInit {
  hooks: WebSocketHooks;
  logger: Logger;
  options?: WebSocketOptions;
}

/** The defaults of `WebSocketOptions`, one place for every family. */
export function webSocketLimits(options: WebSocketOptions = {}): Required<WebSocketOptions> {
  return {
    maxMessageSize: options.maxMessageSize ?? 16 * 1024 * 1024,
    maxBackpressure: options.maxBackpressure ?? 1024 * 1024,
    idleTimeout: options.idleTimeout ?? 120,
  };
}

const SHUTDOWN_REASON = "Server is shutting down";

/**
 * One server's WebSocket side, whatever the family: runs the app's hooks (a hook that throws
 * is logged, never fatal), tracks open peers and in-flight async hooks, publishes locally and
 * to the other workers, and closes every peer with 1001 on graceful shutdown.
 */
export class WebSocketHub {
  readonly hooks: WebSocketHooks;
  readonly logger: Logger;
  readonly maxBackpressure: number;
  readonly peers = new Set<Peer>();
  readonly fanout: Fanout;
  readonly #pending = new Set<Promise<unknown>>();
  readonly #leaveRelay: () => void;
  #closing?: Promise<void>;
  #emptied?: () => void;

  constructor(init: HubInit, fanout: Fanout) {
    this.hooks = init.hooks;
    this.logger = init.logger;
    this.maxBackpressure = webSocketLimits(init.options).maxBackpressure;
    this.fanout = fanout;
    this.#leaveRelay = joinRelay((topic, payload) => fanout.publish(topic, payload));
  }

  /** Once `close()` started: new upgrades are refused with 503. */
  get closing(): boolean {
    return this.#closing !== undefined;
  }

  /** Run the `upgrade` hook: a `Response` refuses (a failing hook is logged and refused with 500). */
  async upgrade(request: Request): Promise<WebSocketUpgrade | Response> {
    const hook = this.hooks.upgrade;
    if (!hook) return {};
    try {
      const result = await hook.call(this.hooks, request);
      return result ?? {};
    } catch (error) {
      if (error instanceof Response) return error;
      this.logger.error(`GET ${pathOf(request.url)} WebSocket upgrade hook failed: ${appErrorLine(error)}`);
      return new Response("Internal Server Error", {
        status: 500,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    }
  }

  opened(peer: Peer): void {
    this.peers.add(peer);
    if (this.hooks.open) this.#run(peer, "open", () => this.hooks.open!(peer));
    // An upgrade that finished while close() ran: it gets the same 1001 as the others.
    if (this.closing && !peer.closed) peer.shutdown(1001, SHUTDOWN_REASON);
  }

  received(peer: Peer, data: string | Uint8Array): void {
    peer.alive = true;
    if (this.hooks.message) this.#run(peer, "message", () => this.hooks.message!(peer, new Message(data)));
  }

  closed(peer: Peer, code: number, reason: string): void {
    if (peer.closed) return;
    peer.closed = true;
    this.peers.delete(peer);
    this.fanout.forget(peer);
    if (this.hooks.close) this.#run(peer, "close", () => this.hooks.close!(peer, { code, reason }));
    if (this.peers.size === 0) this.#emptied?.();
  }

  failed(peer: Peer, error: Error): void {
    if (this.hooks.error) this.#run(peer, "error", () => this.hooks.error!(peer, error));
  }

  drained(peer: Peer): void {
    if (this.hooks.drain && !peer.closed) this.#run(peer, "drain", () => this.hooks.drain!(peer));
  }

  /** `peer.publish`: subscribers here, then those of the other workers. */
  publish(topic: string, payload: string | Uint8Array, from: Peer): void {
    this.fanout.publish(topic, payload, from);
    relayPublish(topic, payload);
  }

  /**
   * Graceful shutdown: refuse new upgrades, let async hooks in flight finish, close every
   * peer with 1001 after what it was sent, and cut what is still open after `timeout` ms.
   */
  close(timeout: number): Promise<void> {
    this.#closing ??= this.#close(timeout);
    return this.#closing;
  }

  async #close(timeout: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeout);
    });
    await Promise.race([Promise.all(this.#pending), expired]);
    const emptied = new Promise<void>((resolve) => {
      this.#emptied = resolve;
    });
    for (const peer of this.peers) peer.shutdown(1001, SHUTDOWN_REASON);
    if (this.peers.size > 0) await Promise.race([emptied, expired]);
    clearTimeout(timer);
    for (const peer of this.peers) peer.cut();
    this.#leaveRelay();
  }

  /** Call a hook; a throw or rejection is logged, and fails the connection when it was open or message. */
  #run(peer: Peer, name: keyof WebSocketHooks, call: () => unknown): void {
    let result: unknown;
    try {
      result = call();
    } catch (error) {
      this.#hookFailed(peer, name, error);
      return;
    }
    if (result instanceof Promise) {
      const tracked: Promise<void> = result.then(
        () => {},
        (error) => this.#hookFailed(peer, name, error),
      );
      this.#pending.add(tracked);
      tracked.finally(() => this.#pending.delete(tracked));
    }
  }

  #hookFailed(peer: Peer, name: string, error: unknown): void {
    this.logger.error(`WebSocket ${pathOf(peer.request.url)} ${name} hook failed: ${appErrorLine(error)}`);
    // The connection's state is unknown now, as after a 500: tell the client (1011) rather than go on.
    if ((name === "open" || name === "message") && !peer.closed) peer.close(1011, "Internal Error");
  }
}

function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  return start === -1 ? "/" : url.slice(start);
}
