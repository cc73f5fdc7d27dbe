import type { RequestContext } from "../types.ts";
import type { RequestRecord } from "./record.ts";

/** What node:http-based servers (node, fastify, express, koa) expose as `context.native.req`. */
interface NodeLikeRequest {
  httpVersion?: unknown;
  headers?: Record<string, string | string[] | undefined>;
}

/**
 * Fill in what only the access log needs: client address, protocol, referer and user-agent.
 * On node:http-based servers the headers come from node's own object, so a hello-world app
 * that never reads `request.headers` does not pay for building the Request's `Headers`.
 */
export function addRequestDetails(record: RequestRecord, request: Request, context: RequestContext): void {
  record.remote = context.remoteAddress;
  const native = nodeRequestOf(context);
  const version = native?.httpVersion;
  record.protocol = typeof version === "string" ? `HTTP/${version}` : "HTTP/1.1";
  const headers = native?.headers;
  if (headers && typeof headers === "object") {
    record.referer = firstOf(headers.referer);
    record.userAgent = firstOf(headers["user-agent"]);
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

function firstOf(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return typeof value === "string" ? value : value.join(", ");
}
