import { randomUUID } from "node:crypto";
import { isBinaryResponse } from "./encoding.ts";
import type { ApiGatewayV2Event, ApiGatewayV2Result, LambdaContext } from "./types.ts";

const NULL_BODY = new Set([101, 103, 204, 205, 304]);
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The Function URL event (payload 2.0) AWS would send for `request`, as the local emulator builds it. */
export async function functionUrlEvent(
  request: Request,
  sourceIp: string | undefined,
): Promise<ApiGatewayV2Event> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of request.headers) {
    if (name === "cookie") cookies = value.split(/;\s*/).filter(Boolean);
    else headers[name] = value;
  }
  // Set by AWS in front of every Function URL, whatever the client sent: here, the local connection.
  headers["x-forwarded-proto"] = url.protocol.slice(0, -1);
  headers["x-forwarded-port"] = url.port || (url.protocol === "https:" ? "443" : "80");
  if (sourceIp) headers["x-forwarded-for"] = sourceIp;
  const bytes = Buffer.from(await request.arrayBuffer());
  // Like AWS: text bodies as they are, anything else base64-encoded.
  const binary = bytes.length > 0 && isBinaryResponse(request.headers);
  const now = new Date();
  const event: ApiGatewayV2Event = {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: "anonymous",
      apiId: "local",
      // A Function URL's domain, which is how lambda(app) tells Function URL events from HTTP API ones.
      domainName: "local.lambda-url.localhost.on.aws",
      domainPrefix: "local",
      http: {
        method: request.method,
        path: url.pathname,
        protocol: "HTTP/1.1",
        sourceIp: sourceIp ?? "127.0.0.1",
        userAgent: request.headers.get("user-agent") ?? "",
      },
      requestId: randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: binary,
  };
  if (cookies) event.cookies = cookies;
  const query = queryParameters(url.searchParams);
  if (query) event.queryStringParameters = query;
  if (bytes.length > 0) event.body = bytes.toString(binary ? "base64" : "utf8");
  return event;
}

/** The `Response` a Function URL sends for a payload 2.0 result. */
export function responseFromResult(result: ApiGatewayV2Result): Response {
  const headers = new Headers(result.headers);
  for (const cookie of result.cookies ?? []) headers.append("set-cookie", cookie);
  const body = NULL_BODY.has(result.statusCode)
    ? null
    : Buffer.from(result.body ?? "", result.isBase64Encoded ? "base64" : "utf8");
  return new Response(body, { status: result.statusCode, headers });
}

/** A Lambda context for a local invocation, with Lambda's largest timeout. */
export function localLambdaContext(): LambdaContext {
  const deadline = Date.now() + 900_000;
  return {
    awsRequestId: randomUUID(),
    functionName: "anyserver-local",
    functionVersion: "$LATEST",
    memoryLimitInMB: "128",
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
}

/** Payload 2.0 `queryStringParameters`: decoded, repeated keys joined with commas. */
function queryParameters(params: URLSearchParams): Record<string, string> | undefined {
  const query: Record<string, string> = {};
  for (const key of new Set(params.keys())) query[key] = params.getAll(key).join(",");
  return Object.keys(query).length > 0 ? query : undefined;
}

/** "12/Mar/2020:19:03:58 +0000", the format of `requestContext.time`. */
function clfTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
