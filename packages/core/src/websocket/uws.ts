import { errorLine } from "../logger.ts";
import type { Logger } from "../types.ts";
import type { UwsHttpRequest, UwsHttpResponse } from "../uws/types.ts";
import { type Fanout, WebSocketHub, webSocketLimits } from "./hub.ts";
import { Peer, type PeerInit } from "./peer.ts";
import { isWebSocketUpgrade, readUpgrade, refusalParts } from "./request.ts";
import type { WebSocketHooks, WebSocketOptions } from "./types.ts";

/** The parts of uWS's WebSocket the bridge uses (typed by shape: core does not depend on uWS). */
interface UwsWebSocket {
  /** 1: sent, 0: sent but buffered, 2: dropped (past maxBackpressure). */
  send(message: string | Uint8Array, isBinary?: boolean): number;
  end(code?: number, reason?: string): void;
  close(): void;
  ping(): number;
  getBufferedAmount(): number;
  subscribe(topic: string): boolean;
  unsubscribe(topic: string): boolean;
  publish(topic: string, message: string | Uint8Array, isBinary?: boolean): boolean;
  getUserData(): { init: PeerInit; peer?: UwsPeer };
}

/** The uWS app (uws's own, hyper-express's `uws_instance`): where the WebSocket route goes. */
export interface UwsWebSocketApp {
  ws(pattern: string, behavior: Record<string, unknown>): unknown;
  publish(topic: string, message: string | Uint8Array, isBinary?: boolean): boolean;
}

interface UwsUpgradeResponse extends UwsHttpResponse {
  upgrade(userData: unknown, key: string, protocol: string, extensions: string, context: unknown): void;
}
interface UwsUpgradeRequest extends UwsHttpRequest {
  getHeader(name: string): string;
}

export interface UwsWebSocketInit {
  hooks: WebSocketHooks;
  logger: Logger;
  options?: WebSocketOptions;
  secure: boolean;
  trustProxy: boolean;
  /** `host:port` of the listener, once known. */
  authority(): string;
  /** The client's address from uWS's response (formatted as node:net does). */
  remoteAddress(res: UwsHttpResponse): string | undefined;
}

/**
 * Serve the app's WebSocket hooks on a uWS app (uws, hyper-express): uWS frames, buffers
 * (`maxBackpressure`), pings idle clients and fans topics out natively; the hub runs the hooks.
 */
export function attachUwsWebSockets(
  app: UwsWebSocketApp,
  init: UwsWebSocketInit,
): { close(timeout: number): Promise<void> } {
  const limits = webSocketLimits(init.options);
  const hub = new WebSocketHub(init, new UwsFanout(app));

  function upgrade(res: UwsUpgradeResponse, req: UwsUpgradeRequest, context: unknown): void {
    // uWS frees req when this handler returns or awaits: copy everything first.
    const method = req.getMethod().toUpperCase();
    const query = req.getQuery();
    const headers: string[] = [];
    req.forEach((name, value) => {
      headers.push(name, value);
    });
    const key = req.getHeader("sec-websocket-key");
    const extensions = req.getHeader("sec-websocket-extensions");
    const target = query ? `${req.getUrl()}?${query}` : req.getUrl();
    let aborted = false;
    res.onAborted(() => {
      aborted = true;
    });
    const refuse = (response: Response) =>
      refuseUpgrade(res, response, () => aborted).catch((error) =>
        init.logger.error(`GET ${target} WebSocket refusal failed: ${errorLine(error)}`),
      );
    if (!isWebSocketUpgrade(method, headerOf(headers, "upgrade"), key)) {
      return void refuse(new Response("Bad Request: not a WebSocket upgrade", { status: 400 }));
    }
    if (hub.closing) return void refuse(new Response("Service Unavailable", { status: 503 }));
    let upgraded: ReturnType<typeof readUpgrade>;
    try {
      upgraded = readUpgrade({
        target,
        headers,
        secure: init.secure,
        trustProxy: init.trustProxy,
        authority: init.authority(),
        socketAddress: init.remoteAddress(res),
      });
    } catch {
      return void refuse(new Response("Bad Request", { status: 400 }));
    }
    hub
      .upgrade(upgraded.request)
      .then((outcome) => {
        if (aborted) return;
        if (outcome instanceof Response) return void refuse(outcome);
        if (hub.closing) return void refuse(new Response("Service Unavailable", { status: 503 }));
        const peerInit: PeerInit = {
          request: upgraded.request,
          remoteAddress: upgraded.remoteAddress,
          context: { ...outcome.context },
        };
        res.cork(() => {
          if (outcome.headers) {
            // A header written before the status would make uWS send 200 first.
            res.writeStatus("101 Switching Protocols");
            for (const [name, value] of new Headers(outcome.headers)) res.writeHeader(name, value);
          }
          res.upgrade({ init: peerInit }, key, outcome.protocol ?? "", extensions, context);
        });
      })
      .catch((error) => init.logger.error(`GET ${target} WebSocket upgrade failed: ${errorLine(error)}`));
  }

  const peerOf = (ws: UwsWebSocket) => ws.getUserData().peer!;
  app.ws("/*", {
    compression: 0,
    maxPayloadLength: limits.maxMessageSize,
    maxBackpressure: limits.maxBackpressure,
    closeOnBackpressureLimit: false,
    // uWS takes 0 (off) or at least 8 seconds.
    idleTimeout: limits.idleTimeout > 0 ? Math.max(8, Math.round(limits.idleTimeout)) : 0,
    sendPingsAutomatically: limits.idleTimeout > 0,
    upgrade,
    open(ws: UwsWebSocket) {
      const data = ws.getUserData();
      data.peer = new UwsPeer(hub, ws, data.init);
      hub.opened(data.peer);
    },
    // uWS reuses the message's memory after this returns: binary is copied, text decoded.
    message(ws: UwsWebSocket, message: ArrayBuffer, isBinary: boolean) {
      hub.received(peerOf(ws), isBinary ? new Uint8Array(message.slice(0)) : Buffer.from(message).toString());
    },
    drain(ws: UwsWebSocket) {
      peerOf(ws).drained();
    },
    close(ws: UwsWebSocket, code: number, reason: ArrayBuffer) {
      hub.closed(peerOf(ws), code, Buffer.from(reason).toString());
    },
  });
  return { close: (timeout) => hub.close(timeout) };
}

/** A peer on a uWS WebSocket; after its close handler ran, uWS forbids touching it. */
class UwsPeer extends Peer {
  readonly ws: UwsWebSocket;
  #shutdown?: { code: number; reason: string };

  constructor(hub: WebSocketHub, ws: UwsWebSocket, init: PeerInit) {
    super(hub, init);
    this.ws = ws;
  }

  get bufferedAmount(): number {
    return this.closed ? 0 : this.ws.getBufferedAmount();
  }

  protected write(payload: string | Uint8Array): boolean {
    return this.ws.send(payload, typeof payload !== "string") !== 2;
  }

  protected end(code: number, reason: string): void {
    this.ws.end(code, reason);
  }

  cut(): void {
    if (!this.closed) this.ws.close();
  }

  /** uWS sends the close frame at once: wait for what is buffered to go out first. */
  shutdown(code: number, reason: string): void {
    if (this.closed) return;
    if (this.ws.getBufferedAmount() === 0) this.ws.end(code, reason);
    else this.#shutdown = { code, reason };
  }

  drained(): void {
    if (!this.#shutdown) {
      this.hub.drained(this);
      return;
    }
    if (!this.closed && this.ws.getBufferedAmount() === 0)
      this.ws.end(this.#shutdown.code, this.#shutdown.reason);
  }

  ping(): void {
    if (!this.closed) this.ws.ping();
  }
}

/** Topics on uWS's own pub/sub, which skips subscribers past maxBackpressure. */
class UwsFanout implements Fanout {
  readonly #app: UwsWebSocketApp;

  constructor(app: UwsWebSocketApp) {
    this.#app = app;
  }

  subscribe(peer: Peer, topic: string): void {
    (peer as UwsPeer).ws.subscribe(topic);
  }

  unsubscribe(peer: Peer, topic: string): void {
    (peer as UwsPeer).ws.unsubscribe(topic);
  }

  publish(topic: string, payload: string | Uint8Array, from?: Peer): void {
    const binary = typeof payload !== "string";
    // A peer's own publish skips that peer, as on every other server.
    if (from && !from.closed) (from as UwsPeer).ws.publish(topic, payload, binary);
    else this.#app.publish(topic, payload, binary);
  }

  /** uWS drops a closed socket's subscriptions itself. */
  forget(): void {}
}

/** Answer the upgrade request with `response`, closing the connection. */
async function refuseUpgrade(
  res: UwsHttpResponse,
  response: Response,
  aborted: () => boolean,
): Promise<void> {
  const { status, statusText, headers, body } = await refusalParts(response);
  if (aborted()) return;
  res.cork(() => {
    res.writeStatus(`${status} ${statusText}`);
    // uWS writes Content-Length, and Connection: close for end(body, true), itself.
    for (const [name, value] of headers)
      if (name !== "content-length" && name !== "connection") res.writeHeader(name, value);
    res.end(body, true);
  });
}

function headerOf(headers: string[], name: string): string | undefined {
  for (let i = 0; i < headers.length; i += 2) if (headers[i] === name) return headers[i + 1];
  return undefined;
}
