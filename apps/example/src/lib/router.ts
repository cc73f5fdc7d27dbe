import type { RequestContext } from "@anyserver/core";
import { HttpError } from "./http-error.ts";

/** What a handler gets beside the request: the parsed URL, path parameters, the server's context, app state. */
export interface RouteArgs<S> {
  url: URL;
  params: Readonly<Record<string, string>>;
  context: RequestContext;
  state: S;
}

export type Handler<S> = (request: Request, args: RouteArgs<S>) => Response | Promise<Response>;

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** A path (`/api/notes/:id`) and the handler of each method it answers. */
export interface Route<S> {
  path: string;
  methods: Partial<Record<Method, Handler<S>>>;
}

type Matcher = (pathname: string) => Record<string, string> | undefined;

/**
 * A fetch handler dispatching on path then method. HEAD runs GET without sending the body,
 * OPTIONS and wrong methods answer with `Allow`, unknown paths 404, and `HttpError`s become JSON.
 */
export function createRouter<S>(
  routes: Route<S>[],
  state: S,
): (request: Request, context: RequestContext) => Promise<Response> {
  const compiled = routes.map((route) => ({
    ...route,
    match: compile(route.path),
    allow: allowHeader(route),
  }));
  return async (request, context) => {
    try {
      const url = parseUrl(request.url);
      for (const route of compiled) {
        const params = route.match(url.pathname);
        if (!params) continue;
        const method = request.method;
        if (method === "OPTIONS") return new Response(null, { status: 204, headers: { allow: route.allow } });
        const handler =
          route.methods[method as Method] ?? (method === "HEAD" ? route.methods.GET : undefined);
        if (!handler) {
          throw new HttpError(
            405,
            "method_not_allowed",
            `${method} is not allowed on ${url.pathname}. Use ${route.allow}.`,
            {
              headers: { allow: route.allow },
            },
          );
        }
        const response = await handler(request, { url, params, context, state });
        return method === "HEAD" ? withoutBody(response) : response;
      }
      throw new HttpError(404, "not_found", `Nothing at ${url.pathname}. See / for what this app serves.`);
    } catch (error) {
      if (error instanceof HttpError) return error.toResponse();
      throw error;
    }
  };
}

/** The request URL; a Host header no URL can hold (`Host: a b`) is the client's mistake, not a 500. */
function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new HttpError(400, "bad_request", "The request URL or its Host header is not valid.");
  }
}

/** `/api/notes/:id` → a matcher returning `{ id }`, or undefined when the path does not fit. */
function compile(path: string): Matcher {
  const parts = path.split("/");
  return (pathname) => {
    const segments = pathname.split("/");
    if (segments.length !== parts.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
      if (parts[i].startsWith(":")) {
        const value = decodeSegment(segments[i]);
        if (!value) return undefined;
        params[parts[i].slice(1)] = value;
      } else if (parts[i] !== segments[i]) return undefined;
    }
    return params;
  };
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined; // malformed %-escapes cannot name anything here
  }
}

function allowHeader(route: { methods: Partial<Record<Method, unknown>> }): string {
  const methods = Object.keys(route.methods);
  if (route.methods.GET) methods.splice(methods.indexOf("GET") + 1, 0, "HEAD");
  return [...methods, "OPTIONS"].join(", ");
}

/** The same status and headers without the body; a streamed body is cancelled so its producer stops. */
function withoutBody(response: Response): Response {
  response.body?.cancel().catch(() => {});
  return new Response(null, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
