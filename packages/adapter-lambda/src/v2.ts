import { forwardedFor, requestHeaders } from "./headers.ts";
import { type EventSource, singleValueMap } from "./source.ts";
import type { ApiGatewayV2Event, ApiGatewayV2Result } from "./types.ts";

/**
 * Payload format 2.0, shared by HTTP APIs and Function URLs: `rawPath` and `rawQueryString`
 * (HTTP APIs decode the path, Function URLs do not), cookies in their own array both ways.
 */
const payloadV2: Omit<EventSource<ApiGatewayV2Event>, "name" | "prelude"> = {
  request(event) {
    return {
      method: event.requestContext.http.method,
      path: event.rawPath,
      query: event.rawQueryString ?? "",
      headers: requestHeaders(event.headers, undefined, event.cookies),
      domainName: event.requestContext.domainName,
      body: event.body,
      isBase64Encoded: event.isBase64Encoded,
    };
  },
  remoteAddress(event, headers, trustProxy) {
    const sourceIp = event.requestContext.http.sourceIp;
    return (trustProxy ? forwardedFor(headers, "first") : undefined) ?? sourceIp;
  },
  result(_event, head, body, isBase64Encoded) {
    const result: ApiGatewayV2Result = {
      statusCode: head.status,
      headers: singleValueMap(head.fields),
      body,
      isBase64Encoded,
    };
    if (head.cookies.length > 0) result.cookies = head.cookies;
    return result;
  },
};

/** API Gateway HTTP APIs (payload 2.0): they cannot stream, so a streaming handler answers them buffered. */
export const apiGatewayV2: EventSource<ApiGatewayV2Event> = {
  ...payloadV2,
  name: "api-gateway-v2",
  prelude: () => undefined,
};

/** Lambda Function URLs: with invoke mode RESPONSE_STREAM the body streams after this metadata. */
export const functionUrl: EventSource<ApiGatewayV2Event> = {
  ...payloadV2,
  name: "function-url",
  prelude(_event, head) {
    return { statusCode: head.status, headers: singleValueMap(head.fields), cookies: head.cookies };
  },
};
