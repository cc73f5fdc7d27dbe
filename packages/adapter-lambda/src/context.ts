import { appErrorLine, type Logger, type RequestContext } from "@anyserver/core";
import type { LambdaNative } from "./types.ts";

/**
 * The per-invocation context. Lambda freezes the process as soon as the handler returns, so
 * `waitUntil` work is awaited before it does: after the response for streamed responses, before
 * the result is returned (and so sent) for buffered ones.
 */
export class LambdaRequestContext implements RequestContext {
  readonly adapter = "lambda";
  readonly remotePort = undefined;
  readonly native: LambdaNative;
  readonly #remoteAddress: () => string | undefined;
  readonly #pending: Promise<unknown>[] = [];
  readonly #logger: Logger;

  constructor(native: LambdaNative, remoteAddress: () => string | undefined, logger: Logger) {
    this.native = native;
    this.#remoteAddress = remoteAddress;
    this.#logger = logger;
  }

  get remoteAddress(): string | undefined {
    return this.#remoteAddress();
  }

  waitUntil(promise: Promise<unknown>): void {
    this.#pending.push(
      Promise.resolve(promise).catch((error) =>
        this.#logger.error(`waitUntil task failed: ${appErrorLine(error)}`),
      ),
    );
  }

  /** Settle every `waitUntil` promise, including ones added while waiting. */
  async settle(): Promise<void> {
    while (this.#pending.length > 0) await Promise.all(this.#pending.splice(0));
  }
}
