/**
 * How long the server stays quiet before closing kept-alive connections at shutdown: a
 * request the client was already sending on one is still answered instead of reset.
 */
const IDLE_CLOSE_WINDOW_MS = 250;

/** How a uWS server is shut: stop listening, and close every connection left. */
export interface UwsCloser {
  /** `us_listen_socket_close`: refuse new connections, keep the open ones. */
  stopListening(): void;
  /** `app.close()`: close every connection; uWS runs `onAborted` for responses in flight. */
  closeConnections(): void;
}

/**
 * Tracks a uWS server's in-flight exchanges and `waitUntil` work so `close()` can drain
 * them. uWS shows no connections to JavaScript, only requests: idle keep-alive connections
 * are closed all at once, after in-flight work settled and a quiet window passed.
 */
export class UwsGracefulTracker {
  /** Exchanges started and not settled: the exchange settles once, so a count is enough. */
  #inFlight = 0;
  readonly #pending = new Set<Promise<unknown>>();
  #closing = false;
  #settled?: () => void;

  /** True once `close()` started: responses then ask the client to close the connection. */
  get closing(): boolean {
    return this.#closing;
  }

  started(): void {
    this.#inFlight++;
  }

  /** An exchange completed or was aborted. */
  settled = (): void => {
    this.#inFlight--;
    this.#check();
  };

  waitUntil(promise: Promise<unknown>): void {
    const tracked = Promise.resolve(promise)
      .catch(() => {})
      .finally(() => {
        this.#pending.delete(tracked);
        this.#check();
      });
    this.#pending.add(tracked);
  }

  /**
   * Stop listening; wait until nothing is in flight (nor arrives during a quiet window) and
   * all `waitUntil` work settled, or `timeout` ms; then close every connection left.
   */
  async close(closer: UwsCloser, timeout: number): Promise<void> {
    this.#closing = true;
    closer.stopListening();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeout);
    });
    for (;;) {
      const outcome = await Promise.race([this.#drained(), timedOut]);
      if (outcome === "timeout") break;
      await Promise.race([new Promise((resolve) => setTimeout(resolve, IDLE_CLOSE_WINDOW_MS)), timedOut]);
      if (this.#idle()) break;
    }
    clearTimeout(timer);
    closer.closeConnections();
  }

  #drained(): Promise<"drained"> {
    return new Promise((resolve) => {
      this.#settled = () => resolve("drained");
      this.#check();
    });
  }

  #idle(): boolean {
    return this.#inFlight === 0 && this.#pending.size === 0;
  }

  #check(): void {
    if (this.#settled && this.#idle()) {
      const settled = this.#settled;
      this.#settled = undefined;
      settled();
    }
  }
}
