import { encodeBody } from "./encoding.ts";
import { failedLine, type Invocation, type InvokeSettings, invoke } from "./invoke.ts";
import type { ResponseHead } from "./source.ts";
import type { LambdaContext, LambdaHttpEvent, LambdaHttpResult } from "./types.ts";

/** A handler returning the whole response as the event source's result object. */
export type LambdaHandler = (event: LambdaHttpEvent, context?: LambdaContext) => Promise<LambdaHttpResult>;

export function bufferedHandler(
  settings: InvokeSettings,
  isBinary: (headers: Headers) => boolean,
): LambdaHandler {
  return async function handler(event, lambdaContext) {
    const invocation = await invoke(event, lambdaContext, settings);
    try {
      return await bufferedResult(invocation, settings, isBinary);
    } finally {
      await invocation.context.settle();
    }
  };
}

/** The invocation's response read whole into its source's result shape. */
export async function bufferedResult(
  { source, event, method, url, response, head }: Invocation,
  settings: InvokeSettings,
  isBinary: (headers: Headers) => boolean,
): Promise<LambdaHttpResult> {
  if (method === "HEAD") {
    await response.body?.cancel().catch(() => {});
    return source.result(event, head, "", false);
  }
  try {
    const { body, isBase64Encoded } = await encodeBody(response, isBinary);
    return source.result(event, head, body, isBase64Encoded);
  } catch (error) {
    // The app's body stream failed before anything was sent: the client still gets a clean 500.
    settings.logger.error(failedLine(method, url, error));
    const failed: ResponseHead = {
      status: 500,
      statusText: "",
      fields: [["content-type", "text/plain; charset=utf-8"]],
      cookies: [],
    };
    return source.result(event, failed, "Internal Server Error", false);
  }
}
