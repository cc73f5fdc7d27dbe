/**
 * The WebSocket side of the app contract. The hooks, peer and message have the shape
 * crossws gives them (the library h3 and Nitro use), so hooks written for crossws
 * (`defineHooks({ open, message, close })`) work here unchanged.
 */

/** A message a peer sent: text or binary, read in the form you need. */
export interface WebSocketMessage {
  /** The payload as received: a string for a text frame, bytes for a binary frame. */
  readonly rawData: string | Uint8Array;
  /** Whether the client sent a binary frame. */
  readonly binary: boolean;
  /** The payload as text (binary frames decoded as UTF-8). */
  text(): string;
  /** The payload parsed as JSON. */
  json<T = unknown>(): T;
  /** The payload as bytes (text frames encoded as UTF-8). */
  uint8Array(): Uint8Array;
  arrayBuffer(): ArrayBuffer;
  blob(): Blob;
  /** The payload as text. */
  toString(): string;
}

/** One open WebSocket connection, as the hooks see it. */
export interface WebSocketPeer {
  /** A random UUID for this connection. */
  readonly id: string;
  /** The upgrade request (URL, headers, cookies); its body is empty. */
  readonly request: Request;
  /** The client's IP address; with `trustProxy`, the first address in `X-Forwarded-For`. */
  readonly remoteAddress: string | undefined;
  /** What the `upgrade` hook returned as `context`, for the life of the connection. */
  readonly context: Record<string, unknown>;
  /** The topics this peer is subscribed to. */
  readonly topics: ReadonlySet<string>;
  /** Bytes sent but not yet taken by the client's connection. */
  readonly bufferedAmount: number;
  /**
   * Send a message: a string as a text frame, an `ArrayBuffer` or typed array as a binary
   * frame, anything else as its JSON text. Returns `false` when the message was dropped:
   * the connection is closed, or more than `websocket.maxBackpressure` bytes are already
   * waiting for this client (send again after the `drain` hook).
   */
  send(data: unknown): boolean;
  /**
   * Send to every peer subscribed to `topic` except this one, on every worker of
   * `anyserver serve -w N`. Subscribers with a full send buffer skip the message.
   */
  publish(topic: string, data: unknown): void;
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
  /**
   * Close the connection after what was sent before: `code` is 1000 (the default), 1001–1003,
   * 1007–1014 or 3000–4999; `reason` at most 123 bytes of UTF-8.
   */
  close(code?: number, reason?: string): void;
  /** Cut the connection at once, without a closing handshake. */
  terminate(): void;
}

/** What an `upgrade` hook may return to accept the connection. */
export interface WebSocketUpgrade {
  /** Extra headers for the `101 Switching Protocols` response (e.g. `Set-Cookie`). */
  headers?: HeadersInit;
  /** Becomes `peer.context`: who the client is, what it asked for. */
  context?: Record<string, unknown>;
  /** The subprotocol to speak, one of those the client offered in `Sec-WebSocket-Protocol`. */
  protocol?: string;
}

type MaybePromise<T> = T | Promise<T>;

/** The hooks of an app's `websocket` member; every one is optional. */
export interface WebSocketHooks {
  /**
   * A client asks to open a WebSocket. Return (or throw) a `Response` to refuse, e.g. 401;
   * return `{ context, headers, protocol }` or nothing to accept. Every upgrade request
   * comes here, whatever its path: refuse the paths you do not serve.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook that returns nothing accepts, as in crossws
  upgrade?(request: Request): MaybePromise<WebSocketUpgrade | Response | void>;
  /** The connection is open: greet, subscribe to topics. */
  open?(peer: WebSocketPeer): MaybePromise<void>;
  /** A message arrived. A hook that throws closes this connection with 1011 and logs one line. */
  message?(peer: WebSocketPeer, message: WebSocketMessage): MaybePromise<void>;
  /** The connection closed, by either side: `code` 1005 when the client sent none, 1006 when it vanished. */
  close?(peer: WebSocketPeer, details: { code: number; reason: string }): MaybePromise<void>;
  /** The connection failed (e.g. the client broke the protocol); `close` follows. */
  error?(peer: WebSocketPeer, error: Error): MaybePromise<void>;
  /** The send buffer, full after `send` returned `false`, has room again. */
  drain?(peer: WebSocketPeer): MaybePromise<void>;
}

/** WebSocket limits, the same on every server that carries WebSockets. */
export interface WebSocketOptions {
  /**
   * Largest message, in bytes, a client may send; a larger one ends its connection (with 1009
   * on node:http servers; uWebSockets.js cuts it).
   * @default 16777216 (16 MiB)
   */
  maxMessageSize?: number;
  /**
   * Bytes the server queues for one client that reads slowly; past them, messages to it are
   * dropped (`send` returns `false`, `publish` skips it) until the `drain` hook says it has
   * caught up. Bounds memory per connection.
   * @default 1048576 (1 MiB)
   */
  maxBackpressure?: number;
  /**
   * Seconds a client may stay silent: the server pings it meanwhile, and closes a connection
   * that sends nothing, not even the answer to a ping, for that long. `0` turns this off.
   * @default 120
   */
  idleTimeout?: number;
}
