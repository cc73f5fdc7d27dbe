import { PassThrough, Readable } from "node:stream";
import type { AwsLambdaGlobal, ResponseStream, StreamingLambdaHandler } from "./streaming.ts";
import type { ApiGatewayV2Event, LambdaContext } from "./types.ts";

type Prelude = { statusCode: number; headers?: Record<string, string>; cookies?: string[] };

/** Runs a local invocation; `done` settles when the handler returns (after its `waitUntil` work). */
export type LocalStreamingInvoke = (
  event: ApiGatewayV2Event,
  lambdaContext: LambdaContext,
) => Promise<{ response: Response; done: Promise<void> }>;

/**
 * The streaming handler `create` builds, run as a Function URL in RESPONSE_STREAM mode runs it:
 * the response starts when the handler writes its prelude, and its body is what follows.
 */
export function localStreaming(
  create: (runtime: AwsLambdaGlobal) => StreamingLambdaHandler,
): LocalStreamingInvoke {
  const waiting = new WeakMap<ResponseStream, (prelude: Prelude) => void>();
  const handler = create({
    streamifyResponse: (handler) => handler,
    HttpResponseStream: {
      from(stream, prelude) {
        waiting.get(stream)?.(prelude as Prelude);
        return stream;
      },
    },
  });
  return async (event, lambdaContext) => {
    const sink = new PassThrough();
    const stream = sink as unknown as ResponseStream;
    const started = new Promise<Prelude>((resolve) => waiting.set(stream, resolve));
    const done = handler(event, stream, lambdaContext);
    // A failure after the status went out cuts the body short, as Lambda does.
    done.catch((error) => sink.destroy(error));
    const prelude = await Promise.race([started, done.then(() => undefined)]);
    if (!prelude) throw new Error("the streaming handler returned without writing a response");
    const headers = new Headers(prelude.headers);
    for (const cookie of prelude.cookies ?? []) headers.append("set-cookie", cookie);
    const body = Readable.toWeb(sink) as ReadableStream<Uint8Array>;
    const response = new Response(body, { status: prelude.statusCode, headers });
    return { response, done: done.catch(() => {}) };
  };
}
