import type { App, FetchHandler } from "./types.ts";

/** The fetch handler of an app (object with `fetch`, or a bare function), bound to its app. */
export function toFetchHandler(app: App): FetchHandler {
  if (typeof app === "function") return app;
  if (app && typeof app.fetch === "function") return app.fetch.bind(app);
  throw new TypeError(
    "[anyserver] The app has no fetch handler: pass { fetch(request) { … } } or a function.",
  );
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
  return new TypeError(`the app returned ${what} instead of a Response`);
}
