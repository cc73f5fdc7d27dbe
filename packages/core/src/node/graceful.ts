import type { Server as HttpServer, IncomingMessage, ServerResponse } from "node:http";
import type { Http2Session } from "node:http2";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { http2StreamOf, isHttp2 } from "./http2.ts";

/**
 * How long a keep-alive socket idle at shutdown stays open: a request the client was
 * already sending on it is still answered (with `Connection: close`) instead of reset.
 */
const IDLE_CLOSE_WINDOW_MS = 250;

/** Marks a socket this tracker follows: one property read per request instead of a Map lookup. */
const TRACKED = Symbol("anyserver.tracked");

type TrackedSocket = Socket & { [TRACKED]?: true; _httpMessage?: ServerResponse | null };

/**
 * Tracks the sockets and `waitUntil` work of one node:http server, so `close()` can drain
 * them: stop accepting, answer what is in flight with `Connection: close`, close idle
 * keep-alive sockets, wait for `waitUntil`, then force.
 *
 * Requests cost nothing until close: node:http already records the response a socket is
 * writing (`socket._httpMessage`, set before the app is called, cleared when it finishes).
 * Where that does not hold (a pipelined request queued behind another, or a node:http that
 * no longer sets it), the response is counted with a `close` listener instead.
 */
export class GracefulTracker {
  readonly #sockets = new Set<TrackedSocket>();
  /** Responses node:http does not show on their socket, per socket. */
  readonly #counted = new Map<Socket, Set<ServerResponse>>();
  readonly #pending = new Set<Promise<unknown>>();
  /** TLS servers' raw TCP sockets, which include those still in (or stuck at) the handshake. */
  readonly #tcp = new Set<Socket>();
  /** HTTP/2 sessions: drained by closing them (GOAWAY), which lets their open streams finish. */
  readonly #sessions = new Set<Http2Session>();
  #closing = false;
  #idle?: () => void;

  get closing(): boolean {
    return this.#closing;
  }

  /** Follow this server's connections; its own closing of idle sockets is replaced by ours. */
  attach(server: HttpServer): void {
    server.on(isTls(server) ? "secureConnection" : "connection", (socket: Socket) => this.#track(socket));
    if (isTls(server)) {
      server.on("connection", (socket: Socket) => {
        this.#tcp.add(socket);
        socket.once("close", () => this.#tcp.delete(socket));
      });
    }
    // node:http2's server (--http2) announces each session.
    server.on("session", (session: Http2Session) => this.#trackSession(session));
    // node:http's close() destroys idle keep-alive sockets at once, racing requests already on the wire.
    server.closeIdleConnections = () => {};
  }

  #trackSession(session: Http2Session): void {
    if (this.#sessions.has(session)) return;
    this.#sessions.add(session);
    session.once("close", () => {
      this.#sessions.delete(session);
      this.#checkIdle();
    });
    if (this.#closing) session.close();
  }

  /** A request arrived: follow its socket and, when node:http does not show it there, its response. */
  requestStarted(req: IncomingMessage, res: ServerResponse): void {
    // An HTTP/2 stream: its session is what drains (a worker's may predate `attach`).
    if (isHttp2(req)) {
      const session = http2StreamOf(req).session;
      if (session) this.#trackSession(session);
      return;
    }
    const socket = req.socket as TrackedSocket;
    // A worker's server gets connections as soon as it listens, before `attach`: follow those here.
    if (socket[TRACKED] === undefined && !socket.closed) this.#track(socket);
    if (socket._httpMessage !== res) this.#count(socket, res);
    // The newest response on its socket: the one to end the connection with.
    if (this.#closing) res.shouldKeepAlive = false;
  }

  #count(socket: Socket, res: ServerResponse): void {
    const responses = this.#counted.get(socket) ?? new Set<ServerResponse>();
    this.#counted.set(socket, responses);
    responses.add(res);
    res.once("close", () => {
      responses.delete(res);
      if (responses.size === 0) this.#counted.delete(socket);
      if (this.#closing) this.#closeWhenIdle(socket);
    });
  }

  /** Whether a response is still being answered on `socket`. */
  #busy(socket: TrackedSocket): boolean {
    return socket._httpMessage != null || this.#counted.has(socket);
  }

  /**
   * Draining: close `socket` once idle. A response it is writing goes out with `Connection: close`
   * unless more are queued behind it (node:http would drop those), and is followed to its end.
   */
  #watch(socket: TrackedSocket): void {
    // Its HTTP/2 session closes it once its streams are done.
    if ((socket as TLSSocket).alpnProtocol === "h2") return;
    const res = socket._httpMessage;
    if (!res) {
      this.#closeWhenIdle(socket);
      return;
    }
    if (!res.headersSent && !this.#counted.has(socket)) res.shouldKeepAlive = false;
    // 'close' comes a tick after node:http moved on to the socket's next queued response, if any.
    res.once("close", () => this.#watch(socket));
  }

  /** An upgraded socket (WebSocket) is no longer HTTP: its new owner closes it, not the drain. */
  release(socket: Socket): void {
    this.#sockets.delete(socket);
    this.#checkIdle();
  }

  waitUntil(promise: Promise<unknown>): void {
    const tracked = Promise.resolve(promise)
      .catch(() => {})
      .finally(() => {
        this.#pending.delete(tracked);
        this.#checkIdle();
      });
    this.#pending.add(tracked);
  }

  /**
   * Drain: `stopAccepting` stops the listener; resolves when every socket is closed and
   * all `waitUntil` work settled, or after `timeout` ms, when what is left is destroyed.
   */
  async close(stopAccepting: () => Promise<void> | void, timeout: number): Promise<void> {
    this.#closing = true;
    for (const session of this.#sessions) session.close();
    for (const socket of this.#sockets) this.#watch(socket);
    for (const responses of this.#counted.values()) {
      const newest = [...responses].pop();
      if (newest && !newest.headersSent) newest.shouldKeepAlive = false;
    }
    const drained = new Promise<void>((resolve) => {
      this.#idle = resolve;
      this.#checkIdle();
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeout);
    });
    const stopped = Promise.resolve(stopAccepting());
    await Promise.race([Promise.all([drained, stopped]), timedOut]);
    clearTimeout(timer);
    for (const socket of this.#sockets) socket.destroy();
    // A client that never finished its TLS handshake would otherwise hold the listener open.
    for (const socket of this.#tcp) socket.destroy();
    await stopped.catch(() => {});
  }

  #track(socket: TrackedSocket): void {
    socket[TRACKED] = true;
    this.#sockets.add(socket);
    socket.once("close", () => {
      this.#sockets.delete(socket);
      this.#checkIdle();
    });
    if (this.#closing) this.#watch(socket);
  }

  #closeWhenIdle(socket: TrackedSocket): void {
    setTimeout(() => {
      // destroySoon: flush what is written, send FIN, then free the socket even if the client lingers.
      if (this.#sockets.has(socket) && !this.#busy(socket)) socket.destroySoon();
    }, IDLE_CLOSE_WINDOW_MS);
  }

  #checkIdle(): void {
    if (this.#idle && this.#sockets.size === 0 && this.#sessions.size === 0 && this.#pending.size === 0)
      this.#idle();
  }
}

function isTls(server: HttpServer): boolean {
  return typeof (server as { setSecureContext?: unknown }).setSecureContext === "function";
}
