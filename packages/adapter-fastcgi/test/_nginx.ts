import { rmSync } from "node:fs";
import { type Host, startNginx, tempDir } from "../../adapter-cgi/test/_hosts.ts";

/** Where the FastCGI responder under test listens. */
export type Upstream = { port: number } | { socket: string };

/**
 * nginx in front of a FastCGI responder, configured as the README advises: an upstream with
 * kept connections (`fastcgi_keep_conn on`), the stock fastcgi_params with the client's Host,
 * unbuffered responses so streams reach the client as they are written, and room for large
 * response heads.
 */
export async function startNginxFor(upstream: Upstream, dir?: string): Promise<Host> {
  // A folder of its own is removed when nginx stops; a given one belongs to the caller.
  const own = dir === undefined;
  const folder = dir ?? tempDir("fastcgi-nginx");
  const server = "port" in upstream ? `127.0.0.1:${upstream.port}` : `unix:${upstream.socket}`;
  const host = await startNginx(
    folder,
    `location / {
      include /etc/nginx/fastcgi_params;
      # Debian's fastcgi_params send $host (no port): give the app the Host header as sent.
      fastcgi_param HTTP_HOST $http_host;
      fastcgi_pass anyserver;
      fastcgi_keep_conn on;
      fastcgi_buffering off;
      fastcgi_buffer_size 32k;
      fastcgi_buffers 8 16k;
    }`,
    `upstream anyserver {
    server ${server};
    keepalive 8;
  }
  # nginx's own limit on a client's header lines (8 KiB): the conformance suite sends one of 8 KiB.
  large_client_header_buffers 4 16k;`,
  );
  if (!own) return host;
  return { ...host, stop: () => host.stop().finally(() => rmSync(folder, { recursive: true, force: true })) };
}
