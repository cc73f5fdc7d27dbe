import type { RequestContext, WebSocketHooks } from "@anyserver/core";
import { basicRoutes, urlRoute } from "./fixture/basic.ts";
import { bodyRoutes } from "./fixture/bodies.ts";
import { controlRoutes } from "./fixture/control.ts";
import { fastRoutes } from "./fixture/fast.ts";
import type { Route } from "./fixture/route.ts";
import { FixtureState } from "./fixture/state.ts";
import { streamRoutes } from "./fixture/streams.ts";
import { fixtureWebSocket } from "./fixture/websocket.ts";

/** The app every adapter serves in the conformance suite. */
export interface FixtureApp {
  fetch(request: Request, context: RequestContext): Response | Promise<Response>;
  /** The WebSocket routes (`/ws/echo`, `/ws/room`…) the websocket cases use. */
  websocket: WebSocketHooks;
}

const routes: Record<string, Route> = {
  ...basicRoutes,
  ...bodyRoutes,
  ...streamRoutes,
  ...controlRoutes,
  ...fastRoutes,
};

/**
 * A fresh fixture app with its own state. Every server started from one instance shares
 * that state, so a case can watch a request on one server through another.
 */
export function createFixtureApp(): FixtureApp {
  const state = new FixtureState();
  return {
    fetch(request, context) {
      const url = new URL(request.url);
      const route = routes[url.pathname] ?? (url.pathname.startsWith("/url/") ? urlRoute : undefined);
      if (route === undefined) {
        return new Response(`Not Found: ${url.pathname}`, {
          status: 404,
          headers: { "x-fixture": "not-found" },
        });
      }
      const id = url.searchParams.get("id") ?? "";
      // The error routes return a non-Response on purpose: the server must turn that into a 500.
      return route({ request, url, context, state, id }) as Response | Promise<Response>;
    },
    websocket: fixtureWebSocket(state),
  };
}

/** A ready fixture app, e.g. to serve by hand while debugging an adapter. */
export const fixtureApp: FixtureApp = createFixtureApp();
