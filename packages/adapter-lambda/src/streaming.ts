import { AnyserverError } from "@anyserver/core";
import { bufferedResult } from "./buffered.ts";
import { failedLine, type Invocation, type InvokeSettings, invoke } from "./invoke.ts";
import type { LambdaContext, LambdaHttpEvent } from "./types.ts";

/** The writable stream Lambda's Node.js runtime hands a streaming handler (a Node `Writable`). */
export interface ResponseStream {
  write(chunk: Uint8Array | string): boolean;
  end(callback?: () => void): void;
  once(event: "drain" | "close" | "error", listener: () => void): unknown;
  off(event: "drain" | "close" | "error", listener: () => void): unknown;
  readonly writableFinished?: boolean;
}

/** A handler for `awslambda.streamifyResponse`: the body is written to `responseStream` as it comes. */
export type StreamingLambdaHandler = (
  event: LambdaHttpEvent,
  responseStream: ResponseStream,
  context?: LambdaContext,
) => Promise<void>;

/** The `awslambda` global of Lambda's Node.js runtime (and of aws-lambda-ric). */
export interface AwsLambdaGlobal {
  streamifyResponse<H>(handler: H): H;
  HttpResponseStream: { from(stream: ResponseStream, prelude: Record<string, unknown>): ResponseStream };
}

export function streamingHandler(
  settings: InvokeSettings,
  isBinary: (headers: Headers) => boolean,
  runtime = (globalThis as { awslambda?: AwsLambdaGlobal }).awslambda,
): StreamingLambdaHandler {
  if (
    typeof runtime?.streamifyResponse !== "function" ||
    typeof runtime.HttpResponseStream?.from !== "function"
  ) {
    throw new AnyserverError(
      "Response streaming needs AWS Lambda's Node.js runtime, which provides the global awslambda.streamifyResponse, and it is missing here. Run the handler on Lambda's Node.js runtime (or aws-lambda-ric), or drop streaming: true.",
      "LAMBDA_NO_STREAMING",
    );
  }
  const { HttpResponseStream } = runtime;
  return runtime.streamifyResponse<StreamingLambdaHandler>(async (event, responseStream, lambdaContext) => {
    const invocation = await invoke(event, lambdaContext, settings);
    try {
      const prelude = invocation.source.prelude(invocation.event, invocation.head);
      if (prelude === undefined) {
        // ALBs and HTTP APIs invoke without streaming and read what is written as the buffered result.
        const result = await bufferedResult(invocation, settings, isBinary);
        responseStream.write(JSON.stringify(result));
        await end(responseStream);
        return;
      }
      const stream = HttpResponseStream.from(responseStream, prelude);
      const body = invocation.method === "HEAD" ? null : invocation.response.body;
      await pipeBody(body, stream, invocation, settings);
    } finally {
      await invocation.context.settle();
    }
  });
}

/**
 * Write the body with back-pressure. The prelude goes out at once (an empty first write), so
 * status and headers reach the client before a slow first chunk. When the stream closes early
 * the client is gone: the app's body is cancelled and `request.signal` aborts.
 */
async function pipeBody(
  body: ReadableStream<Uint8Array> | null,
  stream: ResponseStream,
  { abort, method, url }: Invocation,
  settings: InvokeSettings,
): Promise<void> {
  const reader = body?.getReader();
  let gone = false;
  let wake: (() => void) | undefined;
  const onClose = () => {
    if (stream.writableFinished) return;
    gone = true;
    abort.abort(new DOMException("The client disconnected", "AbortError"));
    reader?.cancel(abort.signal.reason).catch(() => {});
    wake?.();
  };
  const onDrain = () => wake?.();
  stream.once("close", onClose);
  stream.once("error", onClose);
  try {
    stream.write("");
    while (reader && !gone) {
      const { done, value } = await reader.read();
      if (done || gone) break;
      if (!stream.write(value) && !gone) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          stream.once("drain", onDrain);
        });
        stream.off("drain", onDrain);
      }
    }
    if (!gone) await end(stream);
  } catch (error) {
    if (gone) return;
    // The status is already sent: fail the invocation so the runtime cuts the response short.
    settings.logger.error(failedLine(method, url, error));
    throw error;
  } finally {
    stream.off("close", onClose);
    stream.off("error", onClose);
  }
}

/** End the stream; resolves when it is flushed, or closed under us (end's callback alone would then never run). */
function end(stream: ResponseStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("close", done);
      resolve();
    };
    stream.once("close", done);
    stream.end(done);
  });
}
