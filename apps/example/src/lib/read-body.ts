import { HttpError } from "./http-error.ts";

/** How much past the limit is still read and thrown away, so the client gets to read the 413. */
const DRAIN_BYTES = 1024 * 1024;

/**
 * Read the request body chunk by chunk, never holding it whole, and return its size.
 * A body over `limit` bytes ends in 413: announced ones at once, streamed ones once the limit is passed.
 */
export async function readBody(
  request: Request,
  limit: number,
  onChunk: (chunk: Uint8Array) => void,
): Promise<number> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  const reader = request.body?.getReader();
  if (!reader) return 0;
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes <= limit) onChunk(value);
    else if (bytes > limit + DRAIN_BYTES) {
      // A client that keeps sending is cut off rather than read forever.
      await reader.cancel();
      throw tooLarge(limit);
    }
  }
  if (bytes > limit) throw tooLarge(limit);
  return bytes;
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, "payload_too_large", `The body is larger than the limit of ${limit} bytes.`, {
    // The body was not read to its end: this connection cannot carry another request.
    headers: { connection: "close" },
  });
}
