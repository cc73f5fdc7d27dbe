/** FastCGI record types (FastCGI 1.0 §8). */
export const BEGIN_REQUEST = 1;
export const ABORT_REQUEST = 2;
export const END_REQUEST = 3;
export const PARAMS = 4;
export const STDIN = 5;
export const STDOUT = 6;
export const STDERR = 7;
export const DATA = 8;
export const GET_VALUES = 9;
export const GET_VALUES_RESULT = 10;
export const UNKNOWN_TYPE = 11;

export const RESPONDER = 1;
export const KEEP_CONN = 1;
export const REQUEST_COMPLETE = 0;
export const UNKNOWN_ROLE = 3;

const VERSION = 1;
export const HEADER_LENGTH = 8;
/** The most content one record carries (its length field is 16 bits). */
export const MAX_CONTENT = 0xffff;

export interface FcgiRecord {
  type: number;
  requestId: number;
  /** The content, without padding. A view into the received bytes: copy it to keep it. */
  content: Buffer;
}

/** A record stream that breaks the protocol: the connection cannot be trusted past it. */
export class ProtocolError extends Error {
  override name = "ProtocolError";
}

/** The 8-byte header of a record with `length` bytes of content and no padding. */
export function recordHeader(type: number, requestId: number, length: number): Buffer {
  const header = Buffer.allocUnsafe(HEADER_LENGTH);
  header[0] = VERSION;
  header[1] = type;
  header.writeUInt16BE(requestId, 2);
  header.writeUInt16BE(length, 4);
  header[6] = 0;
  header[7] = 0;
  return header;
}

/** One whole record (content up to MAX_CONTENT bytes). */
export function encodeRecord(type: number, requestId: number, content?: Uint8Array): Buffer {
  const header = recordHeader(type, requestId, content?.byteLength ?? 0);
  return content?.byteLength ? Buffer.concat([header, content]) : header;
}

/** FCGI_END_REQUEST: the application's exit status and how the request ended. */
export function endRequestRecord(requestId: number, appStatus: number, protocolStatus: number): Buffer {
  const record = Buffer.alloc(HEADER_LENGTH + 8);
  recordHeader(END_REQUEST, requestId, 8).copy(record);
  record.writeUInt32BE(appStatus >>> 0, HEADER_LENGTH);
  record[HEADER_LENGTH + 4] = protocolStatus;
  return record;
}

/**
 * Splits a byte stream into records. Bytes of a record not yet complete are kept until the
 * rest arrives (records never exceed 64 KiB + 255 bytes of padding, so neither does the buffer).
 */
export class RecordReader {
  #pending: Buffer | undefined;

  /** Whether bytes of an unfinished record are waiting (the stream ended mid-record if it closes now). */
  get partial(): boolean {
    return this.#pending !== undefined;
  }

  /** Feed received bytes; `onRecord` gets each complete record in order. Throws ProtocolError. */
  push(chunk: Buffer, onRecord: (record: FcgiRecord) => void): void {
    let bytes = chunk;
    if (this.#pending) {
      bytes = Buffer.concat([this.#pending, chunk]);
      this.#pending = undefined;
    }
    let offset = 0;
    while (bytes.length - offset >= HEADER_LENGTH) {
      const version = bytes[offset];
      if (version !== VERSION) throw new ProtocolError(`unsupported FastCGI version ${version} (expected 1)`);
      const length = bytes.readUInt16BE(offset + 4);
      const end = offset + HEADER_LENGTH + length + bytes[offset + 6];
      if (end > bytes.length) break;
      const type = bytes[offset + 1];
      const requestId = bytes.readUInt16BE(offset + 2);
      onRecord({
        type,
        requestId,
        content: bytes.subarray(offset + HEADER_LENGTH, offset + HEADER_LENGTH + length),
      });
      offset = end;
    }
    if (offset < bytes.length) this.#pending = bytes.subarray(offset);
  }
}
