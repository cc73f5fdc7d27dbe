import { alb } from "./alb.ts";
import type { EventSource } from "./source.ts";
import { apiGatewayV1 } from "./v1.ts";
import { apiGatewayV2, functionUrl } from "./v2.ts";

/**
 * Which HTTP source sent `event`, told by its shape (AWS puts no type field in it):
 * `requestContext.elb` is an ALB; `rawPath` with `requestContext.http` is payload 2.0,
 * from a Function URL when its domain is `*.lambda-url.*`; `httpMethod` with `path` is
 * payload 1.0 (REST API, or HTTP API with `version: "1.0"`). Undefined for other events.
 */
export function detectSource(event: unknown): EventSource | undefined {
  if (typeof event !== "object" || event === null) return undefined;
  const e = event as Record<string, any>;
  const context =
    typeof e.requestContext === "object" && e.requestContext !== null ? e.requestContext : undefined;
  if (context?.elb && typeof e.httpMethod === "string" && typeof e.path === "string") return alb;
  if (typeof e.rawPath === "string" && typeof context?.http?.method === "string") {
    return typeof context.domainName === "string" && context.domainName.includes(".lambda-url.")
      ? functionUrl
      : apiGatewayV2;
  }
  if (typeof e.httpMethod === "string" && typeof e.path === "string") return apiGatewayV1;
  return undefined;
}

/** The message for an event that is not an HTTP request, naming what it looks like. */
export function notHttpEvent(event: unknown): string {
  const keys =
    typeof event === "object" && event !== null ? Object.keys(event).slice(0, 5).join(", ") : typeof event;
  return `[anyserver] lambda(app) received an event that is not an HTTP request from API Gateway, an ALB or a Function URL (its fields: ${keys || "none"}). Point only HTTP triggers at this handler.`;
}
