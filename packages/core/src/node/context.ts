import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { RequestContext } from "../types.ts";
import type { GracefulTracker } from "./graceful.ts";

const REMOTE_ADDRESS = Symbol("anyserver.remoteAddress");

/** The per-request context for node:http-based servers; addresses are read only when asked for. */
export class NodeRequestContext implements RequestContext {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #tracker: GracefulTracker;
  readonly #trustProxy: boolean;
  readonly #native: unknown;
  readonly adapter: string;

  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    adapter: string,
    trustProxy: boolean,
    tracker: GracefulTracker,
    native?: unknown,
  ) {
    this.#req = req;
    this.#res = res;
    this.adapter = adapter;
    this.#trustProxy = trustProxy;
    this.#tracker = tracker;
    this.#native = native;
  }

  get remoteAddress(): string | undefined {
    if (this.#trustProxy) {
      const forwarded = this.#req.headers["x-forwarded-for"];
      const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0].trim();
      if (first) return first;
    }
    const socket = this.#req.socket as Socket & { [REMOTE_ADDRESS]?: string };
    // node:http's getter walks the socket's handle on each call; a connection's peer does not change.
    let address = socket[REMOTE_ADDRESS];
    if (address === undefined) {
      address = socket.remoteAddress;
      if (address !== undefined) socket[REMOTE_ADDRESS] = address;
    }
    return address;
  }

  get remotePort(): number | undefined {
    return this.#req.socket.remotePort;
  }

  /** `{ req, res }`, or what the adapter passed (e.g. Fastify's `{ req, res, request, reply }`). */
  get native(): unknown {
    return this.#native ?? { req: this.#req, res: this.#res };
  }

  waitUntil(promise: Promise<unknown>): void {
    this.#tracker.waitUntil(promise);
  }
}
