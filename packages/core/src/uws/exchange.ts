import type { UwsBody } from "./body.ts";
import type { UwsRequestHead } from "./head.ts";
import type { UwsHttpResponse } from "./types.ts";

/** The reason `request.signal` aborts with and body reads fail with when the client leaves. */
export function clientDisconnected(): DOMException {
  return new DOMException("The client disconnected", "AbortError");
}

/**
 * One request and its response on uWS. uWS forbids touching a response after `onAborted`
 * ran or after it was ended, so every use of `res` first checks `live`.
 */
export class UwsExchange {
  readonly res: UwsHttpResponse;
  readonly head: UwsRequestHead;
  /** The request body, when the head announced one (its `onData` is registered at once). */
  body?: UwsBody;
  /** Headers middleware in front of the app set for its response (`[name, value, …]`). */
  extraHeaders?: readonly string[];
  /** The client went away: `res` is dead. */
  aborted = false;
  /** The response is complete: `res` is dead. */
  done = false;
  /** Status and headers are on their way: a failure can only cut the connection now. */
  started = false;
  #paused = false;
  #cutting = false;
  #abort?: AbortController;
  #onAbort?: () => void;
  /** Called once, when the exchange completes or is aborted. */
  #onSettled: () => void;
  #remoteAddress?: string;

  /** `paused`: a layer in front of the bridge left the socket paused. */
  constructor(res: UwsHttpResponse, head: UwsRequestHead, onSettled: () => void, paused = false) {
    this.res = res;
    this.head = head;
    this.#onSettled = onSettled;
    this.#paused = paused;
  }

  get live(): boolean {
    return !this.aborted && !this.done;
  }

  /** uWS's `onAborted`: mark `res` dead, then tell the signal, the body and the response writer. */
  abort(): void {
    if (!this.live) return;
    this.aborted = true;
    this.#abort?.abort(clientDisconnected());
    this.body?.fail(clientDisconnected());
    this.#onAbort?.();
    this.#onSettled();
  }

  /** Call right after the call that ended the response. */
  finish(): void {
    if (!this.live) return;
    this.done = true;
    this.#onSettled();
  }

  /** Cut the connection (a response that cannot be completed); uWS then runs `onAborted`. */
  cut(): void {
    if (!this.live || this.#cutting) return;
    this.#cutting = true;
    // Closing at once would drop what is still corked: the client must get the bytes, then the cut.
    setImmediate(() => {
      if (this.live) this.res.close();
    });
  }

  /** What the response writer does when the client leaves mid-body. */
  onAbort(listener: () => void): void {
    this.#onAbort = listener;
  }

  get signal(): AbortSignal {
    if (this.#abort === undefined) {
      this.#abort = new AbortController();
      if (this.aborted) this.#abort.abort(clientDisconnected());
    }
    return this.#abort.signal;
  }

  /** Stop reading the request body from the socket (the app is not keeping up). */
  pause(): void {
    if (this.#paused || !this.live) return;
    this.#paused = true;
    this.res.pause();
  }

  resume(): void {
    if (!this.#paused || !this.live) return;
    this.#paused = false;
    this.res.resume();
  }

  /** The client's address as node:net writes it ("127.0.0.1", "::1", "::ffff:10.0.0.1"); read while `res` lives. */
  get remoteAddress(): string | undefined {
    if (this.#remoteAddress === undefined && this.live) {
      this.#remoteAddress = formatAddress(new Uint8Array(this.res.getRemoteAddress()));
    }
    return this.#remoteAddress;
  }
}

/** uWS gives raw bytes (its text form spells IPv6 out in full): format them like node:net. */
export function formatAddress(bytes: Uint8Array): string | undefined {
  if (bytes.length === 4) return bytes.join(".");
  if (bytes.length !== 16) return undefined;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  // The URL parser writes the canonical (compressed, lower-case) form of an IPv6 address.
  const canonical = new URL(`http://[${groups.join(":")}]/`).hostname.slice(1, -1);
  const mapped = canonical.match(/^::ffff:([0-9a-f]+):([0-9a-f]+)$/);
  if (!mapped) return canonical;
  const high = Number.parseInt(mapped[1], 16);
  const low = Number.parseInt(mapped[2], 16);
  return `::ffff:${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}
