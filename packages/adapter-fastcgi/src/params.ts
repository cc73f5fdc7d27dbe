import { ProtocolError } from "./records.ts";

/**
 * Decode FastCGI name-value pairs (FastCGI 1.0 §3.4): each length is one byte below 128,
 * else four bytes with the high bit set. Names and values are read as Latin-1, the way the
 * host copied them from HTTP. A header sent on several lines arrives as a repeated HTTP_*
 * name (nginx before 1.23): its values are joined as HTTP joins them; for any other repeated
 * name (a config setting HTTP_HOST after fastcgi_params) the later one wins.
 */
export function decodeParams(bytes: Buffer): Record<string, string> {
  const params: Record<string, string> = Object.create(null);
  let offset = 0;
  const length = (): number => {
    if (offset >= bytes.length) throw new ProtocolError("a name-value pair is cut off in its length");
    const first = bytes[offset];
    if (first < 0x80) {
      offset += 1;
      return first;
    }
    if (offset + 4 > bytes.length) throw new ProtocolError("a name-value pair is cut off in its length");
    const value = bytes.readUInt32BE(offset) & 0x7fffffff;
    offset += 4;
    return value;
  };
  while (offset < bytes.length) {
    const nameLength = length();
    const valueLength = length();
    const end = offset + nameLength + valueLength;
    if (end > bytes.length) throw new ProtocolError("a name-value pair is longer than the params sent");
    const name = bytes.toString("latin1", offset, offset + nameLength);
    const value = bytes.toString("latin1", offset + nameLength, end);
    const earlier = params[name];
    params[name] =
      earlier === undefined || !name.startsWith("HTTP_") || name === "HTTP_HOST"
        ? value
        : `${earlier}${name === "HTTP_COOKIE" ? "; " : ", "}${value}`;
    offset = end;
  }
  return params;
}

/** Encode name-value pairs (for FCGI_GET_VALUES_RESULT, and for clients in tests). */
export function encodeParams(pairs: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(pairs)) {
    const nameBytes = Buffer.from(name, "latin1");
    const valueBytes = Buffer.from(value, "latin1");
    parts.push(encodeLength(nameBytes.length), encodeLength(valueBytes.length), nameBytes, valueBytes);
  }
  return Buffer.concat(parts);
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes = Buffer.allocUnsafe(4);
  bytes.writeUInt32BE((length | 0x80000000) >>> 0);
  return bytes;
}
