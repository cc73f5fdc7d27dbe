import { createHash } from "node:crypto";

/**
 * `length` deterministic bytes that do not repeat with a short period, so a dropped,
 * duplicated or reordered chunk changes the checksum. `offset` continues a sequence.
 */
export function patternBytes(length: number, offset = 0): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const n = i + offset;
    bytes[i] = (n * 31 + (n >>> 8) * 7 + (n >>> 16)) & 0xff;
  }
  return bytes;
}

/** Every byte value 0..255, `times` times over: the classic binary-safety probe. */
export function allByteValues(times = 1): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(256 * times);
  for (let i = 0; i < bytes.length; i++) bytes[i] = i & 0xff;
  return bytes;
}

/** Hex SHA-256 of some bytes. */
export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Incremental SHA-256 for bodies read chunk by chunk. */
export function sha256Stream(): { update(chunk: Uint8Array): void; digest(): string } {
  const hash = createHash("sha256");
  return { update: (chunk) => hash.update(chunk), digest: () => hash.digest("hex") };
}

export const KiB = 1024;
export const MiB = 1024 * 1024;
