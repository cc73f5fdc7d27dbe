import { isHeaderName } from "../header-name.ts";
import type { RequestContext } from "../types.ts";
import type { RequestRecord } from "./record.ts";

/** What node:http-based servers (node, fastify, express, koa) expose as `context.native.req`. */
interface NodeLikeRequest {
  httpVersion?: unknown;
  rawHeaders?: unknown;
}

/**
 * Fill in what only the access log needs: client address, protocol, referer and user-agent.
 * On node:http-based servers the headers come from node's raw list, so a hello-world app that
 * never reads headers pays neither for the Request's `Headers` nor for node's `req.headers` object.
 */
export function addRequestDetails(record: RequestRecord, request: Request, context: RequestContext): void {
  record.remote = context.remoteAddress;
  const native = nodeRequestOf(context);
  const version = native?.httpVersion;
  record.protocol = version === "1.1" || typeof version !== "string" ? "HTTP/1.1" : `HTTP/${version}`;
  const raw = native?.rawHeaders;
  if (Array.isArray(raw)) {
    record.referer = rawHeader(raw, "referer");
    record.userAgent = rawHeader(raw, "user-agent");
  } else {
    record.referer = request.headers.get("referer");
    record.userAgent = request.headers.get("user-agent");
  }
}

function nodeRequestOf(context: RequestContext): NodeLikeRequest | undefined {
  try {
    const req = (context.native as { req?: unknown } | undefined)?.req;
    return req && typeof req === "object" ? (req as NodeLikeRequest) : undefined;
  } catch {
    // A server whose native objects may not be touched any more (uWS after the handler returned).
    return undefined;
  }
}

/** A header from node's `[name, value, …]` list: the first one, as `req.headers` keeps for these two. */
function rawHeader(raw: string[], lowerName: string): string | null {
  for (let i = 0; i < raw.length; i += 2) {
    if (isHeaderName(raw[i], lowerName)) return raw[i + 1];
  }
  return null;
}
