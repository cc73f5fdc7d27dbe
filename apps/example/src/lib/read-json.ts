import { HttpError } from "./http-error.ts";
import { readBody } from "./read-body.ts";

/** Parse a JSON request body of at most `limit` bytes, answering 415/413/400 for what is not. */
export async function readJson(request: Request, limit: number): Promise<unknown> {
  const type = request.headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  if (type !== "application/json") {
    throw new HttpError(
      415,
      "unsupported_media_type",
      `Send JSON with Content-Type: application/json (got ${type ? `"${type}"` : "none"}).`,
      { headers: { "accept-post": "application/json" } },
    );
  }
  const chunks: Uint8Array[] = [];
  const size = await readBody(request, limit, (chunk) => chunks.push(chunk));
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(concat(chunks, size));
  } catch {
    throw new HttpError(400, "invalid_json", "The body is not valid UTF-8.");
  }
  if (text.trim() === "") throw new HttpError(400, "invalid_json", "The body is empty: send a JSON object.");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, "invalid_json", `The body is not valid JSON: ${(error as Error).message}`);
  }
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const whole = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return whole;
}
