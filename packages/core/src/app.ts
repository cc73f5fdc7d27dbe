import type { App, FetchHandler } from "./types.ts";
import type { WebSocketHooks } from "./websocket/types.ts";

/** The fetch handler of an app (object with `fetch`, or a bare function), bound to its app. */
export function toFetchHandler(app: App): FetchHandler {
  if (typeof app === "function") return app;
  if (app && typeof app.fetch === "function") return app.fetch.bind(app);
  throw new TypeError(
    "[anyserver] The app has no fetch handler: pass { fetch(request) { … } } or a function.",
  );
}

/** Whether the app answered with a promise; a `.then` read costs less than `instanceof Response`. */
export function isPending(result: Response | Promise<Response>): result is Promise<Response> {
  return typeof (result as { then?: unknown } | null)?.then === "function";
}

/** The app's `websocket` hooks, when it has them. */
export function webSocketHooksOf(app: App): WebSocketHooks | undefined {
  const hooks = (app as { websocket?: unknown }).websocket;
  return hooks && typeof hooks === "object" ? (hooks as WebSocketHooks) : undefined;
}

/** `fetch` as an app that keeps `app`'s WebSocket hooks: what a wrapper (health, access log…) returns. */
export function withFetch(app: App, fetch: FetchHandler): App {
  const websocket = webSocketHooksOf(app);
  return websocket ? { fetch, websocket } : fetch;
}

/** The error for an app that returned something other than a `Response`, naming what it returned. */
export function notAResponse(value: unknown): TypeError {
  const what =
    value === null
      ? "null"
      : typeof value === "object"
        ? `an object (${value.constructor?.name ?? "Object"})`
        : typeof value === "undefined"
          ? "undefined"
          : `a ${typeof value}`;
  const error = new TypeError(`the app returned ${what} instead of a Response`);
  // Made by the server after the app returned: no frame of its stack is the app's mistake.
  error.stack = `TypeError: ${error.message}`;
  return error;
}
