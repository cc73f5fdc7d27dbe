export type { LambdaHandler } from "./buffered.ts";
export { type LambdaEmulatorOptions, lambdaAdapter } from "./emulator.ts";
export { isBinaryResponse } from "./encoding.ts";
export { lambda } from "./lambda.ts";
export type { LambdaOptions } from "./options.ts";
export type { ResponseStream, StreamingLambdaHandler } from "./streaming.ts";
export type {
  AlbEvent,
  AlbResult,
  ApiGatewayV1Event,
  ApiGatewayV1Result,
  ApiGatewayV2Event,
  ApiGatewayV2Result,
  LambdaContext,
  LambdaHttpEvent,
  LambdaHttpResult,
  LambdaNative,
} from "./types.ts";

import { lambdaAdapter } from "./emulator.ts";

/** The `-s lambda` adapter: a local Function URL emulator. On AWS, use `lambda(app)`. */
export default lambdaAdapter;
