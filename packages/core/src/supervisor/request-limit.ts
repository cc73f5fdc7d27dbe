import { toFetchHandler, withFetch } from "../app.ts";
import type { App } from "../types.ts";

/** This worker's share of `--max-requests`: the limit plus its own draw of 0…jitter. */
export function drawRequestLimit(maxRequests: number, jitter: number): number {
  // Not a secret: Math.random spreads workers apart without loading node:crypto at every start.
  return maxRequests > 0 ? maxRequests + Math.floor(Math.random() * (jitter + 1)) : 0;
}

/** Count the requests the app receives and call `reached` once, at the `limit`-th. */
export function countRequests(app: App, limit: number, reached: (served: number) => void): App {
  const fetch = toFetchHandler(app);
  let served = 0;
  return withFetch(app, (request, context) => {
    if (++served === limit) reached(served);
    return fetch(request, context);
  });
}
