/** An API Gateway REST API event, or an HTTP API event in payload format 1.0. */
export interface ApiGatewayV1Event {
  version?: string;
  resource?: string;
  path: string;
  httpMethod: string;
  headers?: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  pathParameters?: Record<string, string | undefined> | null;
  stageVariables?: Record<string, string | undefined> | null;
  requestContext?: { domainName?: string; identity?: { sourceIp?: string }; [key: string]: unknown };
  body?: string | null;
  isBase64Encoded?: boolean;
}

/** An API Gateway HTTP API event (payload format 2.0) or a Lambda Function URL event. */
export interface ApiGatewayV2Event {
  version: string;
  routeKey?: string;
  rawPath: string;
  rawQueryString?: string;
  cookies?: string[];
  headers?: Record<string, string | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  pathParameters?: Record<string, string | undefined> | null;
  stageVariables?: Record<string, string | undefined> | null;
  requestContext: {
    domainName?: string;
    http: { method: string; path?: string; protocol?: string; sourceIp?: string; userAgent?: string };
    [key: string]: unknown;
  };
  body?: string | null;
  isBase64Encoded?: boolean;
}

/** An Application Load Balancer event, with single- or multi-value headers. */
export interface AlbEvent {
  requestContext: { elb: { targetGroupArn: string } };
  httpMethod: string;
  path: string;
  headers?: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

/** Every HTTP event `lambda(app)` answers. */
export type LambdaHttpEvent = ApiGatewayV1Event | ApiGatewayV2Event | AlbEvent;

/** The result for API Gateway REST APIs and HTTP APIs with payload format 1.0. */
export interface ApiGatewayV1Result {
  statusCode: number;
  multiValueHeaders: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
}

/** The result for HTTP APIs with payload format 2.0 and Function URLs. */
export interface ApiGatewayV2Result {
  statusCode: number;
  headers: Record<string, string>;
  cookies?: string[];
  body: string;
  isBase64Encoded: boolean;
}

/** The result for an Application Load Balancer: `headers` or `multiValueHeaders`, as the target group sends. */
export interface AlbResult {
  statusCode: number;
  statusDescription: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
}

/** What a buffered handler returns. */
export type LambdaHttpResult = ApiGatewayV1Result | ApiGatewayV2Result | AlbResult;

/** The Lambda context object (the part anyserver reads; the runtime passes more). */
export interface LambdaContext {
  awsRequestId?: string;
  functionName?: string;
  getRemainingTimeInMillis?: () => number;
  [key: string]: unknown;
}

/** What `context.native` holds on Lambda. */
export interface LambdaNative {
  /** The event as Lambda delivered it; `event.requestContext` is API Gateway's or the ALB's. */
  event: LambdaHttpEvent;
  /** The Lambda context object (`awsRequestId`, `getRemainingTimeInMillis()`…). */
  lambdaContext: LambdaContext | undefined;
}
