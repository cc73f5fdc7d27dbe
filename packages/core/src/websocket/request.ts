import { STATUS_CODES } from "node:http";

/** An upgrade request's head, as each server family copies it. */
export interface UpgradeHead {
  /** The request target as sent: path and query. */
  target: string;
  /** `[name, value, …]` as received. */
  headers: readonly string[];
  secure: boolean;
  trustProxy: boolean;
  /** `host:port` of the listener, for a request without a Host header. */
  authority: string;
  /** The connection's peer address. */
  socketAddress: string | undefined;
}

/**
 * The `Request` the `upgrade` hook and `peer.request` see (built once per connection, so a
 * plain `Request`), and the client address, both honouring `trustProxy` as HTTP requests do.
 */
export function readUpgrade(head: UpgradeHead): { request: Request; remoteAddress: string | undefined } {
  const headers = new Headers();
  let host: string | undefined;
  let forwardedProto: string | undefined;
  let forwardedHost: string | undefined;
  let forwardedFor: string | undefined;
  for (let i = 0; i < head.headers.length; i += 2) {
    const name = head.headers[i].toLowerCase();
    const value = head.headers[i + 1];
    headers.append(name, value);
    if (name === "host") host ??= value;
    else if (name === "x-forwarded-proto") forwardedProto ??= first(value);
    else if (name === "x-forwarded-host") forwardedHost ??= first(value);
    else if (name === "x-forwarded-for") forwardedFor ??= first(value);
  }
  let protocol = head.secure ? "https" : "http";
  if (head.trustProxy) {
    protocol = forwardedProto ?? protocol;
    host = forwardedHost ?? host;
  }
  const target = head.target.startsWith("/") ? head.target : pathOf(head.target);
  const request = new Request(`${protocol}://${host || head.authority}${target}`, { headers });
  return { request, remoteAddress: (head.trustProxy && forwardedFor) || head.socketAddress };
}

/** Whether a request asks for a WebSocket (RFC 6455 §4.2.1), before any hook runs. */
export function isWebSocketUpgrade(
  method: string,
  upgrade: string | undefined,
  key: string | undefined,
): boolean {
  return method === "GET" && upgrade?.toLowerCase() === "websocket" && key !== undefined && key.length > 0;
}

/** A refusal's status line and headers; the body is read whole (refusals are small) and sent with its length. */
export async function refusalParts(
  response: Response,
): Promise<{ status: number; statusText: string; headers: [string, string][]; body: Buffer }> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: [string, string][] = [];
  for (const [name, value] of response.headers) {
    if (name !== "content-length" && name !== "transfer-encoding" && name !== "connection")
      headers.push([name, value]);
  }
  headers.push(["content-length", String(body.byteLength)], ["connection", "close"]);
  const statusText = response.statusText || STATUS_CODES[response.status] || "";
  return { status: response.status, statusText, headers, body };
}

function first(value: string): string | undefined {
  return value.split(",")[0].trim() || undefined;
}

function pathOf(target: string): string {
  try {
    const url = new URL(target);
    return url.pathname + url.search;
  } catch {
    return `/${target}`;
  }
}
