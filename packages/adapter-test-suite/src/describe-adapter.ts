import type { Adapter, App, RunningServer, ServeOptions } from "@anyserver/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allCases } from "./cases/index.ts";
import { Harness } from "./harness.ts";
import { ResultRecorder } from "./results.ts";
import { within } from "./wait.ts";

/** How an adapter's conformance test runs the suite. */
export interface DescribeAdapterOptions {
  /**
   * Extra options for `adapter.serve` (the suite sets `host`, `port` and `logger` itself).
   * @default {}
   */
  options?: Record<string, unknown>;
  /**
   * Cases this server cannot pass, by case id, each with the reason shown in the test
   * output and in COMPATIBILITY.md. An id that is not a case fails the suite. An adapter
   * that declares `unsupported.websocket` has every websocket case marked with that reason.
   * @default {}
   */
  unsupported?: Record<string, string>;
  /**
   * How the suite starts a server. A gateway adapter, whose clients are web servers rather
   * than browsers (FastCGI, CGI), starts the adapter behind a real web server here and returns
   * a `RunningServer` whose `port` is that web server's HTTP port on 127.0.0.1: every case then
   * runs through it, and its `close()` closes both.
   * @default adapter.serve
   */
  serve?: (app: App, options: ServeOptions) => Promise<RunningServer>;
}

const DEFAULT_CASE_TIMEOUT_MS = 15_000;

/** `Adapter.unsupported` keys that name a capability, not a case: `unsupported` may be the adapter's own. */
const CAPABILITIES = new Set(["workers", "websocket", "http2"]);

/**
 * Register the conformance suite for `adapter` in vitest: it serves the fixture app on
 * 127.0.0.1 (any free port), runs every case over real sockets, closes the server, and
 * writes the results for the compatibility table.
 */
export function describeAdapter(adapter: Adapter<any>, config: DescribeAdapterOptions = {}): void {
  const unsupported = {
    ...webSocketCasesUnsupported(adapter, config.unsupported),
    ...http2CasesUnsupported(adapter, config.unsupported),
    ...config.unsupported,
  };
  const recorder = new ResultRecorder(adapter.name, allCases, unsupported);
  const harness = new Harness(adapter, config.options, config.serve);

  describe(`${adapter.name} adapter conformance`, () => {
    beforeAll(() => harness.start(), 30_000);
    afterAll(async () => {
      try {
        await harness.stop();
      } finally {
        recorder.write();
      }
    }, 30_000);

    it("declares only real case ids as unsupported", (context) => {
      recorder.locate(context.task.file.filepath);
      const unknown = Object.keys(unsupported).filter(
        (id) => !CAPABILITIES.has(id) && !allCases.some((c) => c.id === id),
      );
      expect(unknown, unknownIdsMessage(unknown)).toEqual([]);
    });

    for (const conformanceCase of allCases) {
      const { id, title, run } = conformanceCase;
      const reason = unsupported[id];
      if (reason !== undefined) {
        it.skip(`${title} [${id}] (unsupported: ${reason})`, () => {});
        continue;
      }
      const timeout = conformanceCase.timeout ?? DEFAULT_CASE_TIMEOUT_MS;
      it(
        `${title} [${id}]`,
        async (context) => {
          recorder.locate(context.task.file.filepath);
          // Failed until proven otherwise: a case that never settles is recorded as a failure.
          recorder.failed(id, new Error(`did not finish within ${timeout} ms`));
          const t = harness.context(id);
          try {
            await within(run(t), timeout, `The case did not finish`);
            recorder.passed(id);
          } catch (error) {
            recorder.failed(id, error);
            throw error;
          } finally {
            await t.dispose();
          }
        },
        timeout + 5000,
      );
    }
  });
}

/** The websocket cases, unsupported with the adapter's own reason when it cannot carry WebSockets. */
function webSocketCasesUnsupported(
  adapter: Adapter<any>,
  declared: Record<string, string> = {},
): Record<string, string> {
  const reason = declared.websocket ?? adapter.unsupported?.websocket;
  if (reason === undefined) return {};
  return Object.fromEntries(allCases.filter((c) => c.area === "websocket").map((c) => [c.id, reason]));
}

/** The http2 cases, unsupported unless the adapter declares `http2` (with its own reason when it gives one). */
function http2CasesUnsupported(
  adapter: Adapter<any>,
  declared: Record<string, string> = {},
): Record<string, string> {
  if (adapter.http2) return {};
  const reason = declared.http2 ?? adapter.unsupported?.http2 ?? "the adapter does not declare `http2`";
  return Object.fromEntries(allCases.filter((c) => c.area === "http2").map((c) => [c.id, reason]));
}

function unknownIdsMessage(unknown: string[]): string {
  const hints = unknown.map((id) => {
    const near = allCases
      .map((c) => ({ id: c.id, distance: editDistance(id, c.id) }))
      .sort((a, b) => a.distance - b.distance)[0];
    return near.distance <= 3 ? `"${id}" (did you mean "${near.id}"?)` : `"${id}"`;
  });
  return `[anyserver] unsupported names ${hints.join(", ")}, which ${unknown.length === 1 ? "is" : "are"} not a case id. Use the ids listed in the @anyserver/adapter-test-suite README.`;
}

/** Levenshtein distance, for "did you mean" on a mistyped case id. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}
