import { STATUS_CODES } from "node:http";
import { forwardedFor, requestHeaders } from "./headers.ts";
import { type EventSource, multiValueMap, singleValueMap } from "./source.ts";
import type { AlbEvent, AlbResult } from "./types.ts";
import { queryFromRaw } from "./url.ts";

/**
 * Application Load Balancer targets. The ALB passes query parameters as the client sent them
 * (not decoded) and answers in the format the event came in: `multiValueHeaders` when the
 * target group has multi-value headers enabled, else `headers`, one value per name.
 */
export const alb: EventSource<AlbEvent> = {
  name: "alb",
  request(event) {
    return {
      method: event.httpMethod,
      path: event.path,
      query: queryFromRaw(event.queryStringParameters, event.multiValueQueryStringParameters),
      headers: requestHeaders(event.headers, event.multiValueHeaders),
      domainName: undefined,
      body: event.body,
      isBase64Encoded: event.isBase64Encoded,
    };
  },
  remoteAddress(_event, headers, trustProxy) {
    // The ALB appends the address it saw to X-Forwarded-For: the last entry, unless a proxy before it is trusted.
    return forwardedFor(headers, trustProxy ? "first" : "last");
  },
  result(event, head, body, isBase64Encoded) {
    const result: AlbResult = {
      statusCode: head.status,
      statusDescription: statusDescription(head),
      body,
      isBase64Encoded,
    };
    if (event.multiValueHeaders) result.multiValueHeaders = multiValueMap(head.fields, head.cookies);
    else result.headers = singleValueHeaders(head);
    return result;
  },
  prelude: () => undefined,
  loss(event, head) {
    if (event.multiValueHeaders || head.cookies.length < 2) return undefined;
    return `A response set ${head.cookies.length} cookies, but this ALB target group sends single-value headers, which carry one Set-Cookie: only the last was sent. Enable multi-value headers on the target group (attribute lambda.multi_value_headers.enabled).`;
  },
};

/** "200 OK": the status code and reason phrase, as the ALB requires. */
function statusDescription(head: { status: number; statusText: string }): string {
  return `${head.status} ${head.statusText || STATUS_CODES[head.status] || "Unknown"}`;
}

/** Single-value headers hold one Set-Cookie: as the ALB does with repeated headers, the last one wins. */
function singleValueHeaders(head: { fields: [string, string][]; cookies: string[] }): Record<string, string> {
  const headers = singleValueMap(head.fields);
  if (head.cookies.length > 0) headers["set-cookie"] = head.cookies[head.cookies.length - 1];
  return headers;
}
