import { REPORTS_BODIES } from "../observe/body-report.ts";
import type { RequestContext } from "../types.ts";
import type { UwsExchange } from "./exchange.ts";
import type { UwsGracefulTracker } from "./graceful.ts";
import { headerValue } from "./head.ts";

/** The per-request context on uWS; the address is read from uWS only when asked for. */
export class UwsRequestContext implements RequestContext {
  readonly #exchange: UwsExchange;
  readonly #tracker: UwsGracefulTracker;
  readonly #trustProxy: boolean;
  readonly adapter: string;
  #native: unknown;

  constructor(
    exchange: UwsExchange,
    adapter: string,
    trustProxy: boolean,
    tracker: UwsGracefulTracker,
    native?: unknown,
  ) {
    this.#exchange = exchange;
    this.adapter = adapter;
    this.#trustProxy = trustProxy;
    this.#tracker = tracker;
    this.#native = native;
  }

  /** The bridge's writer reports every streamed body it sends. */
  get [REPORTS_BODIES](): boolean {
    return true;
  }

  /** What the adapter gave, else `{ res }`: uWS's response, valid until it ends or the client leaves. */
  get native(): unknown {
    this.#native ??= { res: this.#exchange.res };
    return this.#native;
  }

  get remoteAddress(): string | undefined {
    if (this.#trustProxy) {
      const first = headerValue(this.#exchange.head, "x-forwarded-for")?.split(",")[0].trim();
      if (first) return first;
    }
    return this.#exchange.remoteAddress;
  }

  /** uWebSockets.js 20.30 does not expose the client's port. */
  get remotePort(): number | undefined {
    return undefined;
  }

  waitUntil(promise: Promise<unknown>): void {
    this.#tracker.waitUntil(promise);
  }
}
