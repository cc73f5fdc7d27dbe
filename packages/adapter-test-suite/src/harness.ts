import type { Adapter, App, Logger, RunningServer, ServeOptions } from "@anyserver/core";
import type { CaseContext, FixtureClient } from "./case.ts";
import type { FixtureRecord } from "./fixture/state.ts";
import { createFixtureApp } from "./fixture.ts";
import { RawConnection, rawRequest } from "./raw-http.ts";

const FETCH_TIMEOUT_MS = 15_000;

/**
 * Runs the fixture on the adapter under test: one shared server for most cases, fresh ones
 * for the cases that close theirs, and per-case contexts that clean up what a case opened.
 */
export class Harness {
  readonly #adapter: Adapter<any>;
  readonly #options: Record<string, unknown>;
  readonly #start: (app: App, options: ServeOptions) => Promise<RunningServer>;
  readonly #fixture = createFixtureApp();
  readonly #errorLog: string[] = [];
  readonly #logger: Logger = { info() {}, warn() {}, error: (line) => this.#errorLog.push(line) };
  #server?: RunningServer;
  #startError?: unknown;
  #ids = 0;

  constructor(
    adapter: Adapter<any>,
    options: Record<string, unknown> = {},
    start?: (app: App, options: ServeOptions) => Promise<RunningServer>,
  ) {
    this.#adapter = adapter;
    this.#options = options;
    this.#start = start ?? ((app, serveOptions) => adapter.serve(app, serveOptions));
  }

  /** Start the shared server; a failure is kept and reported by every case, not thrown here. */
  async start(): Promise<void> {
    try {
      this.#server = await this.#serve();
    } catch (error) {
      this.#startError = error;
    }
  }

  async stop(): Promise<void> {
    await this.#server?.close({ timeout: 5000 });
  }

  /** A context for one case; `dispose()` closes what the case left open. */
  context(caseId: string): CaseContext & { dispose(): Promise<void> } {
    if (this.#server === undefined) {
      throw new Error(`The ${this.#adapter.name} server did not start: ${String(this.#startError)}`);
    }
    const server = this.#server;
    const origin = `http://127.0.0.1:${server.port}`;
    const connections: RawConnection[] = [];
    const servers: { server: RunningServer; closed: boolean }[] = [];
    const cleanups: (() => void)[] = [];
    const harness = this;
    const getJson = async (path: string): Promise<FixtureRecord> => {
      const response = await fetch(origin + path, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`The fixture answered ${path} with ${response.status}`);
      return response.json();
    };
    const fixture: FixtureClient = {
      state: (id) => getJson(`/__state?id=${id}`),
      async until(id, key) {
        const record = await getJson(`/__state?id=${id}&until=${key}`);
        if (!record[key]) throw new Error(`The fixture never recorded "${key}" for this case's request`);
        return record;
      },
      async release(id) {
        const response = await fetch(`${origin}/__release?id=${id}`, {
          signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        });
        await response.text();
      },
    };
    return {
      adapter: this.#adapter.name,
      port: server.port,
      origin,
      fixture,
      get errorLog() {
        return harness.#errorLog;
      },
      fetch: (path, init = {}) =>
        fetch(origin + path, { ...init, signal: init.signal ?? AbortSignal.timeout(FETCH_TIMEOUT_MS) }),
      async raw(port = server.port) {
        const connection = await RawConnection.open(port);
        connections.push(connection);
        return connection;
      },
      request: (method, target, headers, body) => rawRequest(server.port, method, target, headers, body),
      async startServer(options) {
        const started = await harness.#serve(options);
        const entry = { server: started, closed: false };
        servers.push(entry);
        // The case may close it itself; closing twice is not part of the contract.
        return {
          url: started.url,
          port: started.port,
          adapter: started.adapter,
          native: started.native,
          close: (options) => {
            entry.closed = true;
            return started.close(options);
          },
        };
      },
      newId: () => `${caseId}-${++harness.#ids}`,
      onDispose: (cleanup) => cleanups.push(cleanup),
      async dispose() {
        for (const cleanup of cleanups) cleanup();
        for (const connection of connections) connection.destroy();
        await Promise.all(servers.filter((s) => !s.closed).map((s) => s.server.close({ timeout: 1000 })));
      },
    };
  }

  #serve(extra: Partial<ServeOptions> = {}): Promise<RunningServer> {
    // A server that cannot carry WebSockets refuses an app with hooks: give it the HTTP side only.
    const app =
      this.#adapter.unsupported?.websocket === undefined ? this.#fixture : { fetch: this.#fixture.fetch };
    // The suite's host, port and logger win: cases rely on them.
    return this.#start(app, {
      ...this.#options,
      ...extra,
      host: "127.0.0.1",
      port: 0,
      logger: this.#logger,
    });
  }
}
