import type { FetchHandler } from "../types.ts";
import type { RequestRecord } from "./record.ts";

/** A request the server answered itself before the app saw it (400, 413, 431): what the observers record. */
export type Refusal = Omit<RequestRecord, "time" | "durationMs" | "aborted">;

/**
 * On an observed fetch handler: where a bridge reports the requests it refuses. In the global
 * registry, so a bridge from another copy of core (an adapter resolving another version) finds it.
 */
const ON_REFUSAL = Symbol.for("anyserver.onRefusal.v1");

type Observed = FetchHandler & { [ON_REFUSAL]?: (refusal: Refusal) => void };

/** Give `fetch` the hook bridges call with what they refused. */
export function reportRefusals(fetch: FetchHandler, record: (refusal: Refusal) => void): void {
  (fetch as Observed)[ON_REFUSAL] = record;
}

/** The hook of an observed app (`-l`, `--metrics`), or undefined when nothing observes it. */
export function refusalsOf(fetch: FetchHandler): ((refusal: Refusal) => void) | undefined {
  return (fetch as Observed)[ON_REFUSAL];
}
