import { defineAdapter, type FetchHandler, nodeAdapter } from "@anyserver/core";
import { lambda } from "./lambda.ts";
import { functionUrlEvent, localLambdaContext, responseFromResult } from "./local-event.ts";
import type { LambdaOptions } from "./options.ts";
import type { ApiGatewayV2Result } from "./types.ts";

/** Lambda's limit for a synchronous invocation's request payload. */
const LAMBDA_PAYLOAD_LIMIT = 6 * 1024 * 1024;

/**
 * `anyserver serve app.ts -s lambda`: Lambda is not a server, so this runs the app locally the
 * way a Function URL would: every HTTP request becomes a payload 2.0 event for `lambda(app)`,
 * and its result becomes the HTTP response. Deploy with `export const handler = lambda(app)`.
 */
export const lambdaAdapter = defineAdapter<Omit<LambdaOptions, "streaming" | "logger">>({
  name: "lambda",
  async serve(app, options) {
    const { trustProxy: _, ...handlerOptions } = options;
    const handler = lambda(app, { ...handlerOptions, logger: options.logger });
    const emulate: FetchHandler = async (request, context) => {
      const event = await functionUrlEvent(request, context.remoteAddress);
      const result = (await handler(event, localLambdaContext())) as ApiGatewayV2Result;
      return responseFromResult(result);
    };
    const running = await nodeAdapter.serve(emulate, {
      ...options,
      bodyLimit: options.bodyLimit ?? LAMBDA_PAYLOAD_LIMIT,
    });
    options.logger?.info(
      "lambda: each request runs as a Function URL event through lambda(app), as it would on AWS",
    );
    return {
      url: running.url,
      port: running.port,
      adapter: "lambda",
      native: running.native,
      close: (closeOptions) => running.close(closeOptions),
    };
  },
});
