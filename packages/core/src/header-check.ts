// RFC 9110: a field name is a token; a field value (and a reason phrase) is tab, space, visible
// ASCII and bytes 0x80-0xff: never CR, LF, NUL or another control character.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_TEXT = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Throw a TypeError for a header HTTP forbids. Servers that write headers as given (uWS) would
 * otherwise put a CR LF from the app on the wire: a second header, or a second response.
 */
export function assertHeader(name: string, value: string): void {
  if (!TOKEN.test(name)) throw new TypeError(`${JSON.stringify(name)} is not a valid header name`);
  if (!FIELD_TEXT.test(value)) {
    throw new TypeError(
      `The value of header "${name}" holds a character HTTP forbids (CR, LF, NUL or another control character): ${JSON.stringify(value)}. Remove it, or encode the value (encodeURIComponent).`,
    );
  }
}

/** `assertHeader` for each pair of a `[name, value, …]` list. */
export function assertHeaders(headers: readonly string[]): void {
  for (let i = 0; i < headers.length; i += 2) assertHeader(headers[i], headers[i + 1]);
}

/** Whether `text` may be a status line's reason phrase. */
export function isReasonPhrase(text: string): boolean {
  return FIELD_TEXT.test(text);
}
