import { defineAdapter, type FetchHandler, nodeAdapter } from "@anyserver/core";
import { bufferedHandler } from "./buffered.ts";
import { isBinaryResponse } from "./encoding.ts";
import { invokeSettings } from "./lambda.ts";
import { functionUrlEvent, localLambdaContext, responseFromResult } from "./local-event.ts";
import { localStreaming } from "./local-stream.ts";
import type { LambdaOptions } from "./options.ts";
import { streamingHandler } from "./streaming.ts";
import type { ApiGatewayV2Result } from "./types.ts";

/** Lambda's limit for a synchronous invocation's request payload. */
const LAMBDA_PAYLOAD_LIMIT = 6 * 1024 * 1024;

/** Options of `-s lambda`, beside the common `ServeOptions`. */
export type LambdaEmulatorOptions = Pick<LambdaOptions, "basePath" | "isBinary"> & {
  /**
   * Emulate a Function URL with invoke mode RESPONSE_STREAM (`lambda(app, { streaming: true })`)
   * instead of BUFFERED.
   * @default false
   */
  streaming?: boolean;
};

/**
 * `anyserver serve app.ts -s lambda`: Lambda is not a server, so this runs the app locally the
 * way a Function URL would: every HTTP request becomes a payload 2.0 event for `lambda(app)`,
 * and its result (or streamed response) becomes the HTTP response.
 */
export const lambdaAdapter = defineAdapter<LambdaEmulatorOptions>({
  name: "lambda",
  unsupported: {
    websocket:
      "Lambda's HTTP events carry no WebSocket upgrade (API Gateway WebSocket APIs send one event per message)",
    http2:
      "HTTP/2 is AWS's: API Gateway, function URLs and ALB speak it to clients and send the function events",
  },
  async serve(app, options) {
    // The emulator's HTTP server already applied trustProxy to the address it puts in the event.
    const settings = invokeSettings(app, { basePath: options.basePath, logger: options.logger });
    const isBinary = options.isBinary ?? isBinaryResponse;
    let emulate: FetchHandler;
    if (options.streaming) {
      const invoke = localStreaming((runtime) => streamingHandler(settings, isBinary, runtime));
      emulate = async (request, context) => {
        const { response, done } = await invoke(
          await functionUrlEvent(request, context.remoteAddress),
          localLambdaContext(),
        );
        context.waitUntil(done);
        return response;
      };
    } else {
      const handler = bufferedHandler(settings, isBinary);
      emulate = async (request, context) => {
        const event = await functionUrlEvent(request, context.remoteAddress);
        return responseFromResult((await handler(event, localLambdaContext())) as ApiGatewayV2Result);
      };
    }
    const running = await nodeAdapter.serve(emulate, {
      ...options,
      bodyLimit: options.bodyLimit ?? LAMBDA_PAYLOAD_LIMIT,
    });
    options.logger?.info(
      `lambda: each request runs as a Function URL event (${options.streaming ? "RESPONSE_STREAM" : "BUFFERED"}) through lambda(app), as it would on AWS`,
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
