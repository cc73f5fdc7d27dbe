import type { RunningServer, ServeOptions } from "@anyserver/core";
import type { FixtureRecord } from "./fixture/state.ts";
import type { RawConnection } from "./raw-http.ts";

/** Reads and steers the fixture's per-id state over HTTP, as an outside observer would. */
export interface FixtureClient {
  /** What the fixture recorded for `id`. */
  state(id: string): Promise<FixtureRecord>;
  /** The record once `key` is set; fails the case if it is not within 10 s. */
  until(id: string, key: string): Promise<FixtureRecord>;
  /** Let the held request or `waitUntil` work tagged `id` finish. */
  release(id: string): Promise<void>;
}

/** What a case gets to talk to the server under test. */
export interface CaseContext {
  /** The adapter's name. */
  readonly adapter: string;
  /** The shared server's port on 127.0.0.1. */
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** fetch a path on the shared server (with a 15 s timeout unless `init.signal` is given). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** A raw TCP connection to the shared server (or to `port`), destroyed after the case. */
  raw(port?: number): Promise<RawConnection>;
  /** Request bytes for a raw connection (`Host` added). */
  request(
    method: string,
    target: string,
    headers?: Record<string, string> | [string, string][],
    body?: string | Uint8Array,
  ): Buffer;
  readonly fixture: FixtureClient;
  /**
   * A fresh server of the adapter on the same fixture, for cases that close it or need `tls`
   * and `http2`; closed after the case.
   */
  startServer(options?: Pick<ServeOptions, "tls" | "http2">): Promise<RunningServer>;
  /** Run `cleanup` after the case, before the servers it started close (a client session it opened…). */
  onDispose(cleanup: () => void): void;
  /** Error lines the servers logged in this run: read its length first to see the case's own. */
  readonly errorLog: readonly string[];
  /** A unique id to tag a request with (`?id=`). */
  newId(): string;
}

/** One conformance check: an id for the compatibility table, a present-tense title, the check. */
export interface ConformanceCase {
  /** Stable kebab-case id, the key adapters use in `unsupported`. */
  readonly id: string;
  readonly title: string;
  /** The file under `src/cases/` it lives in: methods, streaming, graceful… */
  readonly area: string;
  /** Milliseconds before the case fails as stuck. */
  readonly timeout?: number;
  run(t: CaseContext): Promise<void>;
}

/** The cases of one area. */
export function defineCases(area: string, cases: Omit<ConformanceCase, "area">[]): ConformanceCase[] {
  return cases.map((c) => ({ ...c, area }));
}
