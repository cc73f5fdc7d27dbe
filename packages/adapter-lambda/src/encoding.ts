/** Media types sent as UTF-8 text; `+json` and `+xml` suffixes (`image/svg+xml`) count too. */
const TEXT_TYPE =
  /^(?:text\/[^;]+|application\/(?:json|javascript|ecmascript|x-javascript|xml|x-www-form-urlencoded|graphql)|[a-z]+\/[^;]+\+(?:json|xml))\s*(?:;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;
const UTF8 = new Set(["utf-8", "utf8", "us-ascii", "ascii"]);

/**
 * The default of `isBinary`: compressed bodies and non-text types go base64; text types
 * in UTF-8 (or without a charset) go as strings. A body without a content type is binary.
 */
export function isBinaryResponse(headers: Headers): boolean {
  const encoding = headers.get("content-encoding");
  if (encoding && encoding.trim().toLowerCase() !== "identity") return true;
  const type = headers.get("content-type");
  if (!type || !TEXT_TYPE.test(type)) return true;
  const charset = CHARSET.exec(type)?.[1];
  return charset !== undefined && !UTF8.has(charset.toLowerCase());
}

/** A response body as the event's result carries it: a UTF-8 string, or base64 for binary. */
export async function encodeBody(
  response: Response,
  isBinary: (headers: Headers) => boolean,
): Promise<{ body: string; isBase64Encoded: boolean }> {
  if (response.body === null) return { body: "", isBase64Encoded: false };
  if (!isBinary(response.headers)) return { body: await response.text(), isBase64Encoded: false };
  const bytes = Buffer.from(await response.arrayBuffer());
  // An empty body is the same in both encodings: say "not base64" so every gateway agrees.
  return bytes.length === 0
    ? { body: "", isBase64Encoded: false }
    : { body: bytes.toString("base64"), isBase64Encoded: true };
}
