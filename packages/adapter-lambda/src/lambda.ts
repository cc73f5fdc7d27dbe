import { type App, defaultLogger, toFetchHandler } from "@anyserver/core";
import { bufferedHandler, type LambdaHandler } from "./buffered.ts";
import { isBinaryResponse } from "./encoding.ts";
import type { InvokeSettings } from "./invoke.ts";
import type { LambdaOptions } from "./options.ts";
import { type StreamingLambdaHandler, streamingHandler } from "./streaming.ts";

/**
 * The app as a Lambda handler for API Gateway (REST and HTTP APIs), ALB and Function URL events:
 * `export const handler = lambda(app)`. With `streaming: true`, a response-streaming handler.
 */
export function lambda(app: App, options: LambdaOptions & { streaming: true }): StreamingLambdaHandler;
export function lambda(app: App, options?: LambdaOptions & { streaming?: false }): LambdaHandler;
export function lambda(app: App, options?: LambdaOptions): LambdaHandler | StreamingLambdaHandler;
export function lambda(app: App, options: LambdaOptions = {}): LambdaHandler | StreamingLambdaHandler {
  const settings = invokeSettings(app, options);
  const isBinary = options.isBinary ?? isBinaryResponse;
  return options.streaming ? streamingHandler(settings, isBinary) : bufferedHandler(settings, isBinary);
}

/** What every invocation of `lambda(app, options)` runs with. */
export function invokeSettings(app: App, options: LambdaOptions): InvokeSettings {
  return {
    fetch: toFetchHandler(app),
    logger: options.logger ?? defaultLogger,
    trustProxy: options.trustProxy ?? false,
    basePath: options.basePath,
    warned: new Set(),
  };
}
