import type { WebSocketMessage } from "./types.ts";

/** A received message; conversions are made on first use and kept. */
export class Message implements WebSocketMessage {
  readonly rawData: string | Uint8Array;
  readonly binary: boolean;
  #text?: string;
  #bytes?: Uint8Array;

  /** `rawData` must be the message's own memory: servers that reuse their buffers copy first. */
  constructor(rawData: string | Uint8Array) {
    this.rawData = rawData;
    this.binary = typeof rawData !== "string";
  }

  text(): string {
    if (typeof this.rawData === "string") return this.rawData;
    this.#text ??= Buffer.from(
      this.rawData.buffer,
      this.rawData.byteOffset,
      this.rawData.byteLength,
    ).toString("utf8");
    return this.#text;
  }

  json<T = unknown>(): T {
    return JSON.parse(this.text()) as T;
  }

  uint8Array(): Uint8Array {
    if (typeof this.rawData !== "string") return this.rawData;
    this.#bytes ??= Buffer.from(this.rawData, "utf8");
    return this.#bytes;
  }

  arrayBuffer(): ArrayBuffer {
    const bytes = this.uint8Array();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  blob(): Blob {
    return new Blob([this.uint8Array() as Uint8Array<ArrayBuffer>]);
  }

  toString(): string {
    return this.text();
  }
}

/** What goes on the wire for `send(data)`: strings as text, bytes as binary, anything else as JSON text. */
export function toPayload(data: unknown): string | Uint8Array {
  if (typeof data === "string") return data;
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data === undefined) return "";
  return typeof data === "object" ? JSON.stringify(data) : String(data);
}
