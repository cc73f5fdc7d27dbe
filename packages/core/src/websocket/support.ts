import { webSocketHooksOf } from "../app.ts";
import { AnyserverError } from "../errors.ts";
import type { Adapter, App } from "../types.ts";

/** Servers whose adapters carry WebSockets, named in the error for those that cannot. */
const CARRIERS = "node, fastify, express, koa, uws or hyper-express";

/**
 * Fail at start, with what to do, when an app with `websocket` hooks meets a server that
 * declares it cannot carry them (`unsupported.websocket`): never a silent 404 on upgrade.
 */
export function assertCarriesWebSockets(adapter: Adapter<any>, app: App): void {
  const reason = adapter.unsupported?.websocket;
  if (reason === undefined || !webSocketHooksOf(app)) return;
  throw new AnyserverError(
    `Server "${adapter.name}" cannot carry WebSockets: ${reason}. Serve this app with -s ${CARRIERS}, or remove its websocket hooks.`,
    "WEBSOCKET_UNSUPPORTED",
  );
}
