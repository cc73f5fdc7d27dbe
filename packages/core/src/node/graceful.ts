import type { Server as HttpServer, IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/**
 * How long a keep-alive socket idle at shutdown stays open: a request the client was
 * already sending on it is still answered (with `Connection: close`) instead of reset.
 */
const IDLE_CLOSE_WINDOW_MS = 250;

/**
 * Tracks the sockets, in-flight responses and `waitUntil` work of one node:http server,
 * so `close()` can drain them: stop accepting, answer what is in flight with
 * `Connection: close`, close idle keep-alive sockets, wait for `waitUntil`, then force.
 */
export class GracefulTracker {
  readonly #active = new Map<Socket, number>();
  readonly #inFlight = new Set<ServerResponse>();
  readonly #pending = new Set<Promise<unknown>>();
  /** TLS servers' raw TCP sockets, which include those still in (or stuck at) the handshake. */
  readonly #tcp = new Set<Socket>();
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
    // node:http's close() destroys idle keep-alive sockets at once, racing requests already on the wire.
    server.closeIdleConnections = () => {};
  }

  /** Count a request from its start until its response is finished or abandoned. */
  requestStarted(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket;
    let active = this.#active.get(socket);
    // A worker's server gets connections as soon as it listens, before `attach`: follow those here.
    if (active === undefined && !socket.closed) active = this.#track(socket);
    if (active !== undefined) this.#active.set(socket, active + 1);
    this.#inFlight.add(res);
    if (this.#closing) res.shouldKeepAlive = false;
    // One listener shared by every response ('close' fires once): no closure or once-wrapper per request.
    res.on("close", this.#responseClosed);
  }

  readonly #responseClosed = (() => {
    const tracker = this;
    return function (this: ServerResponse) {
      tracker.#finished(this, this.req.socket);
    };
  })();

  #finished(res: ServerResponse, socket: Socket): void {
    this.#inFlight.delete(res);
    const active = this.#active.get(socket);
    if (active !== undefined) this.#active.set(socket, active - 1);
    if (this.#closing && active === 1) this.#closeWhenIdle(socket);
    this.#checkIdle();
  }

  /** An upgraded socket (WebSocket) is no longer HTTP: its new owner closes it, not the drain. */
  release(socket: Socket): void {
    this.#active.delete(socket);
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
    for (const res of this.#inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
    for (const [socket, active] of this.#active) if (active === 0) this.#closeWhenIdle(socket);
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
    for (const socket of this.#active.keys()) socket.destroy();
    // A client that never finished its TLS handshake would otherwise hold the listener open.
    for (const socket of this.#tcp) socket.destroy();
    await stopped.catch(() => {});
  }

  #track(socket: Socket): number {
    this.#active.set(socket, 0);
    socket.once("close", () => {
      this.#active.delete(socket);
      this.#checkIdle();
    });
    if (this.#closing) this.#closeWhenIdle(socket);
    return 0;
  }

  #closeWhenIdle(socket: Socket): void {
    setTimeout(() => {
      // destroySoon: flush what is written, send FIN, then free the socket even if the client lingers.
      if (this.#active.get(socket) === 0) socket.destroySoon();
    }, IDLE_CLOSE_WINDOW_MS);
  }

  #checkIdle(): void {
    if (this.#idle && this.#active.size === 0 && this.#inFlight.size === 0 && this.#pending.size === 0) {
      this.#idle();
    }
  }
}

function isTls(server: HttpServer): boolean {
  return typeof (server as { setSecureContext?: unknown }).setSecureContext === "function";
}
