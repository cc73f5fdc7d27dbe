import { type IncomingMessage, type Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { WebSocket, WebSocketServer } from "ws";
import { errorLine } from "../logger.ts";
import type { Logger } from "../types.ts";
import { WebSocketHub, webSocketLimits } from "./hub.ts";
import { Peer, type PeerInit } from "./peer.ts";
import { isWebSocketUpgrade, readUpgrade, refusalParts } from "./request.ts";
import { TopicMap } from "./topics.ts";
import type { WebSocketHooks, WebSocketOptions, WebSocketUpgrade } from "./types.ts";

export interface NodeWebSocketInit {
  hooks: WebSocketHooks;
  logger: Logger;
  options?: WebSocketOptions;
  secure: boolean;
  trustProxy: boolean;
  /** Called with each upgraded socket: from now on the WebSocket side closes it, not the HTTP drain. */
  release(socket: Socket): void;
}

/** The WebSocket side of a node:http server (node, fastify, express, koa), on `ws`. */
export interface NodeWebSockets {
  /** Refuse new upgrades and close every socket with 1001 after what it was sent. */
  close(timeout: number): Promise<void>;
}

/**
 * Serve the app's WebSocket hooks on the server's `upgrade` event. `ws` is loaded on the
 * first upgrade, so servers of apps that never see one do not pay for it.
 */
export function attachNodeWebSockets(server: Server, init: NodeWebSocketInit): NodeWebSockets {
  const limits = webSocketLimits(init.options);
  const hub = new WebSocketHub(init, new TopicMap());
  const accepted = new WeakMap<IncomingMessage, WebSocketUpgrade>();
  let wss: Promise<WebSocketServer> | undefined;
  const load = () =>
    (wss ??= import("ws").then(({ WebSocketServer }) => {
      const created = new WebSocketServer({
        noServer: true,
        clientTracking: false,
        perMessageDeflate: false,
        maxPayload: limits.maxMessageSize,
        // Only the subprotocol the upgrade hook chose: ws would otherwise take the client's first.
        handleProtocols: (_offered, req) => accepted.get(req)?.protocol ?? false,
      });
      created.on("headers", (lines, req) => {
        const extra = accepted.get(req)?.headers;
        if (extra) for (const [name, value] of new Headers(extra)) lines.push(`${name}: ${value}`);
      });
      return created;
    }));

  async function onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    if (!isWebSocketUpgrade(req.method ?? "", req.headers.upgrade, req.headers["sec-websocket-key"])) {
      return answerOverHttp(server, req, socket, head);
    }
    init.release(socket);
    // The client may reset while the hook runs; ws adds its own handler once it takes over.
    socket.on("error", () => socket.destroy());
    if (hub.closing) return refuse(socket, new Response("Service Unavailable", { status: 503 }));
    let upgrade: ReturnType<typeof readUpgrade>;
    try {
      upgrade = readUpgrade({
        target: req.url ?? "/",
        headers: req.rawHeaders,
        secure: init.secure,
        trustProxy: init.trustProxy,
        authority: `${hostOf(socket.localAddress)}:${socket.localPort}`,
        socketAddress: socket.remoteAddress,
      });
    } catch {
      return refuse(socket, new Response("Bad Request", { status: 400 }));
    }
    const outcome = await hub.upgrade(upgrade.request);
    if (outcome instanceof Response) return refuse(socket, outcome);
    if (hub.closing) return refuse(socket, new Response("Service Unavailable", { status: 503 }));
    const wsServer = await load();
    if (socket.destroyed) return;
    accepted.set(req, outcome);
    wsServer.handleUpgrade(req, socket, head, (ws) => {
      const peer = new NodePeer(hub, ws, socket, {
        request: upgrade.request,
        remoteAddress: upgrade.remoteAddress,
        context: { ...outcome.context },
      });
      hub.opened(peer);
    });
  }

  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    onUpgrade(req, socket, head).catch((error) => {
      init.logger.error(`GET ${req.url} WebSocket upgrade failed: ${errorLine(error)}`);
      socket.destroy();
    });
  });
  const stopIdleCheck = checkIdle(hub, limits.idleTimeout);
  return {
    async close(timeout) {
      stopIdleCheck();
      await hub.close(timeout);
    },
  };
}

// Shared send options: one message in, one out, and no object made per send.
const TEXT = { binary: false } as const;
const BINARY = { binary: true } as const;

/** A peer on a `ws` WebSocket. */
class NodePeer extends Peer {
  readonly #ws: WebSocket;

  constructor(hub: WebSocketHub, ws: WebSocket, socket: Socket, init: PeerInit) {
    super(hub, init);
    this.#ws = ws;
    ws.on("message", (data: Buffer, isBinary: boolean) =>
      hub.received(this, isBinary ? data : data.toString()),
    );
    ws.on("pong", () => (this.alive = true));
    ws.on("ping", () => (this.alive = true));
    ws.on("error", (error) => hub.failed(this, error));
    ws.on("close", (code, reason) => hub.closed(this, code, reason.toString()));
    socket.on("drain", () => hub.drained(this));
  }

  get bufferedAmount(): number {
    return this.#ws.bufferedAmount;
  }

  protected write(payload: string | Uint8Array): boolean {
    // Closing already (our close or the client's): ws would drop it too.
    if (this.#ws.readyState !== 1) return false;
    this.#ws.send(payload, typeof payload === "string" ? TEXT : BINARY);
    return true;
  }

  protected end(code: number, reason: string): void {
    this.#ws.close(code, reason);
  }

  cut(): void {
    this.#ws.terminate();
  }

  /** ws queues the close frame behind what is already queued. */
  shutdown(code: number, reason: string): void {
    this.#ws.close(code, reason);
  }

  ping(): void {
    this.#ws.ping();
  }
}

/**
 * node:http hands every request with an Upgrade header to `upgrade` once someone listens: one
 * that is not a WebSocket (an h2c probe) is answered by the app over HTTP/1.1, as uWS and a
 * server without WebSockets do, on a response that closes the connection after it.
 */
function answerOverHttp(server: Server, req: IncomingMessage, socket: Socket, head: Buffer): void {
  // node:http ended the request at its head: a body after it cannot reach the app.
  if (req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0) {
    return void refuse(
      socket,
      new Response("Bad Request: a request body with an Upgrade header", { status: 400 }),
    );
  }
  if (head.byteLength > 0) socket.unshift(head);
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket);
  res.once("finish", () => {
    res.detachSocket(socket);
    socket.destroySoon();
  });
  server.emit("request", req, res);
}

/** Every `idleTimeout` seconds: cut peers not heard from since the last round, ping the others. */
function checkIdle(hub: WebSocketHub, idleTimeout: number): () => void {
  if (idleTimeout <= 0) return () => {};
  const timer = setInterval(() => {
    for (const peer of hub.peers) {
      if (!peer.alive) peer.cut();
      else {
        peer.alive = false;
        peer.ping();
      }
    }
  }, idleTimeout * 1000);
  timer.unref();
  return () => clearInterval(timer);
}

/** Answer the upgrade request with `response` and close the connection. */
async function refuse(socket: Socket, response: Response): Promise<void> {
  const { status, statusText, headers, body } = await refusalParts(response);
  if (socket.destroyed) return;
  const head = [`HTTP/1.1 ${status} ${statusText}`, ...headers.map(([name, value]) => `${name}: ${value}`)];
  socket.once("finish", () => socket.destroy());
  socket.end(Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`, "latin1"), body]));
}

/** An address as it appears in a URL: IPv6 in brackets. */
function hostOf(address = "localhost"): string {
  return address.includes(":") ? `[${address}]` : address;
}
