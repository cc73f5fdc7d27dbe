import cluster from "node:cluster";
import { AnyserverError } from "../errors.ts";
import { reservePort } from "../supervisor/port.ts";

/**
 * Bind a uWS listener with `bind`, failing with the line node gives. uWS reports only a
 * `false` socket, and binds with SO_REUSEPORT, so a second uWS server would silently share
 * a port already in use: outside a worker fleet (where sharing it is the point) the port is
 * first probed with node:net, whose error (EADDRINUSE, EACCES…) becomes `listenError`'s line.
 */
export async function listenUws<S>(host: string, port: number, bind: () => Promise<S | false>): Promise<S> {
  if (port !== 0 && !cluster.isWorker) await reservePort(host, port);
  const socket = await bind();
  if (socket) return socket;
  // Say why if node:net can tell (a worker that skipped the probe, a race).
  await reservePort(host, port);
  throw new AnyserverError(
    `uWebSockets.js could not listen on ${host}:${port}. Choose another address with -i or port with -p.`,
    "LISTEN_FAILED",
  );
}

/** A host as it appears in a URL: IPv6 literals in brackets. */
export function urlHost(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}
