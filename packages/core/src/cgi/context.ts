import type { RequestContext } from "../types.ts";
import { type CgiParams, firstValue } from "./request.ts";

/** The per-request context of CGI and FastCGI: addresses come from REMOTE_ADDR and REMOTE_PORT. */
export class CgiRequestContext implements RequestContext {
  readonly #params: CgiParams;
  readonly #trustProxy: boolean;
  readonly #waitUntil: (promise: Promise<unknown>) => void;
  readonly adapter: string;
  readonly native: unknown;

  constructor(
    params: CgiParams,
    adapter: string,
    trustProxy: boolean,
    waitUntil: (promise: Promise<unknown>) => void,
    native: unknown,
  ) {
    this.#params = params;
    this.adapter = adapter;
    this.#trustProxy = trustProxy;
    this.#waitUntil = waitUntil;
    this.native = native;
  }

  get remoteAddress(): string | undefined {
    if (this.#trustProxy) {
      const forwarded = firstValue(this.#params.HTTP_X_FORWARDED_FOR);
      if (forwarded) return forwarded;
    }
    return this.#params.REMOTE_ADDR || undefined;
  }

  get remotePort(): number | undefined {
    const port = Number(this.#params.REMOTE_PORT);
    return port > 0 ? port : undefined;
  }

  waitUntil(promise: Promise<unknown>): void {
    this.#waitUntil(promise);
  }
}
