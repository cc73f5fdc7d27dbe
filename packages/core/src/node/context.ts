import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { REPORTS_BODIES } from "../observe/body-report.ts";
import type { RequestContext } from "../types.ts";
import type { GracefulTracker } from "./graceful.ts";

/** What every request's context on one node:http bridge shares. */
export interface NodeContextShared {
  adapter: string;
  trustProxy: boolean;
  tracker: GracefulTracker;
  /** The bridge writes responses itself, reporting streamed bodies (no server `respond` in between). */
  reportsBodies: boolean;
}

const REMOTE_ADDRESS = Symbol("anyserver.remoteAddress");

/** The per-request context for node:http-based servers; addresses are read only when asked for. */
export class NodeRequestContext implements RequestContext {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #shared: NodeContextShared;
  readonly #native: unknown;

  constructor(req: IncomingMessage, res: ServerResponse, shared: NodeContextShared, native?: unknown) {
    this.#req = req;
    this.#res = res;
    this.#shared = shared;
    this.#native = native;
  }

  get adapter(): string {
    return this.#shared.adapter;
  }

  get [REPORTS_BODIES](): boolean {
    return this.#shared.reportsBodies;
  }

  get remoteAddress(): string | undefined {
    if (this.#shared.trustProxy) {
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
    this.#shared.tracker.waitUntil(promise);
  }
}
