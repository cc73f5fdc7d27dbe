import type { Logger } from "@anyserver/core";

/** Options of `lambda(app, options)`. */
export interface LambdaOptions {
  /**
   * Stream responses through `awslambda.streamifyResponse`: for Function URLs with invoke mode
   * `RESPONSE_STREAM` and REST APIs with response transfer mode `STREAM`. Events from sources that
   * cannot stream (ALB, HTTP APIs) still get a buffered result. Needs Lambda's Node.js runtime.
   * @default false
   */
  streaming?: boolean;
  /**
   * Take the client address from the first `X-Forwarded-For` entry (only when a proxy you run,
   * such as CloudFront, sits in front of API Gateway or the load balancer).
   * @default false
   */
  trustProxy?: boolean;
  /**
   * A prefix removed from request paths before the app sees them, e.g. `"/prod"` for an HTTP API
   * stage other than `$default`, or a custom domain's API mapping.
   * @default undefined
   */
  basePath?: string;
  /**
   * Whether a response body is sent base64-encoded. The default sends text types
   * (`text/*`, JSON, XML, JavaScript, form data) in UTF-8 as strings, and everything else,
   * compressed bodies and other charsets included, as base64.
   * @default isBinaryResponse
   */
  isBinary?: (headers: Headers) => boolean;
  /**
   * Where errors (a throwing app, a failed `waitUntil`) are logged; on Lambda, stderr goes to CloudWatch.
   * @default defaultLogger
   */
  logger?: Logger;
}
