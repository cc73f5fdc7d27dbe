import { forwardedFor, requestHeaders } from "./headers.ts";
import { type EventSource, multiValueMap } from "./source.ts";
import type { ApiGatewayV1Event } from "./types.ts";
import { queryFromDecoded } from "./url.ts";

/**
 * API Gateway REST APIs, and HTTP APIs with payload format 1.0 (`version: "1.0"`). API Gateway
 * decodes query parameters, so they are encoded again; results use `multiValueHeaders`, which
 * carries every Set-Cookie.
 */
export const apiGatewayV1: EventSource<ApiGatewayV1Event> = {
  name: "api-gateway-v1",
  request(event) {
    return {
      method: event.httpMethod,
      path: event.path,
      query: queryFromDecoded(event.queryStringParameters, event.multiValueQueryStringParameters),
      headers: requestHeaders(event.headers, event.multiValueHeaders),
      domainName: event.requestContext?.domainName,
      body: event.body,
      isBase64Encoded: event.isBase64Encoded,
    };
  },
  remoteAddress(event, headers, trustProxy) {
    const sourceIp = event.requestContext?.identity?.sourceIp;
    return (trustProxy ? forwardedFor(headers, "first") : undefined) ?? sourceIp;
  },
  result(_event, head, body, isBase64Encoded) {
    return {
      statusCode: head.status,
      multiValueHeaders: multiValueMap(head.fields, head.cookies),
      body,
      isBase64Encoded,
    };
  },
  prelude(event, head) {
    // REST APIs stream (response transfer mode STREAM); HTTP APIs (version "1.0") cannot.
    if (event.version === "1.0") return undefined;
    return { statusCode: head.status, multiValueHeaders: multiValueMap(head.fields, head.cookies) };
  },
};
