import type { Adapter } from "./types.ts";
import { assertCarriesWebSockets } from "./websocket/support.ts";

/**
 * Declare an adapter with its types checked. One that declares `unsupported.websocket`
 * gets a `serve` that refuses an app with WebSocket hooks, with the reason; any other is
 * returned unchanged.
 */
export function defineAdapter<O = {}>(adapter: Adapter<O>): Adapter<O> {
  if (adapter.unsupported?.websocket === undefined) return adapter;
  return {
    ...adapter,
    async serve(app, options) {
      assertCarriesWebSockets(adapter, app);
      return adapter.serve(app, options);
    },
  };
}
