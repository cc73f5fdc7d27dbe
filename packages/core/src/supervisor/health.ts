import { toFetchHandler, withFetch } from "../app.ts";
import type { App } from "../types.ts";

const HEADERS = { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" };

/**
 * Answer `path` before the app: 200 while serving, 503 once the server is stopping, so a load
 * balancer or Kubernetes takes it out of rotation while in-flight requests finish.
 */
export function withHealth(app: App, path: string, stopping: () => boolean): App {
  const fetch = toFetchHandler(app);
  return withFetch(app, (request, context) => {
    if (pathOf(request.url) !== path) return fetch(request, context);
    return stopping()
      ? new Response("stopping\n", { status: 503, headers: HEADERS })
      : new Response("ok\n", { status: 200, headers: HEADERS });
  });
}

/** The path of an absolute URL without building a URL object (this runs on every request). */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start === -1) return "/";
  const end = url.search(/[?#]/);
  return end === -1 ? url.slice(start) : url.slice(start, end);
}
