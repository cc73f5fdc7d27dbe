import { readFileSync } from "node:fs";
import type { AlbEvent, ApiGatewayV1Event, ApiGatewayV2Event, LambdaContext } from "../src/index.ts";

function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`fixtures/${name}.json`, import.meta.url), "utf8")) as T;
}

/** A fresh copy of each real fixture event, safe to change in one test. */
export const events = {
  restV1: () => load<ApiGatewayV1Event>("apigw-v1-rest-request"),
  httpV2: () => load<ApiGatewayV2Event>("apigw-v2-http-request"),
  functionUrl: () => load<ApiGatewayV2Event>("function-url-request"),
  alb: () => load<AlbEvent>("alb-request"),
  albMulti: () => load<AlbEvent>("alb-request-multivalue-headers"),
  albHealthCheck: () => load<AlbEvent>("alb-health-check"),
};

/** Every fixture, by name, for tests that hold for all event shapes. */
export const allEvents = Object.entries(events) as [keyof typeof events, () => any][];

/** The ALB fixture as single-value mode really sends it: `headers` and `queryStringParameters` only. */
export function albSingleValue(): AlbEvent {
  const { multiValueHeaders: _h, multiValueQueryStringParameters: _q, ...event } = events.alb();
  return event;
}

/** A Lambda context like the runtime's, for handler calls. */
export function lambdaContext(): LambdaContext {
  return {
    awsRequestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
    functionName: "app",
    getRemainingTimeInMillis: () => 3000,
  };
}

/** A logger that keeps its lines, for asserting what was logged. */
export function memoryLogger(): {
  lines: string[];
  info(m: string): void;
  warn(m: string): void;
  error(m: string): void;
} {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
}

/** An app that answers with what it received, as JSON. */
export async function echo(
  request: Request,
  context: { remoteAddress: string | undefined; adapter: string },
): Promise<Response> {
  const bytes = new Uint8Array(await request.arrayBuffer());
  return Response.json({
    method: request.method,
    url: request.url,
    headers: Object.fromEntries(request.headers),
    body: Buffer.from(bytes).toString("base64"),
    remoteAddress: context.remoteAddress,
    adapter: context.adapter,
    aborted: request.signal.aborted,
  });
}
