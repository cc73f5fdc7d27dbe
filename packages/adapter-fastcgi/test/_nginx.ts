import { type Host, startNginx, tempDir } from "../../adapter-cgi/test/_hosts.ts";

/** Where the FastCGI responder under test listens. */
export type Upstream = { port: number } | { socket: string };

/**
 * nginx in front of a FastCGI responder, configured as the README advises: an upstream with
 * kept connections (`fastcgi_keep_conn on`), the stock fastcgi_params, and unbuffered
 * responses so streams reach the client as they are written.
 */
export function startNginxFor(upstream: Upstream, dir = tempDir("fastcgi-nginx")): Promise<Host> {
  const server = "port" in upstream ? `127.0.0.1:${upstream.port}` : `unix:${upstream.socket}`;
  return startNginx(
    dir,
    `location / {
      include /etc/nginx/fastcgi_params;
      fastcgi_pass anyserver;
      fastcgi_keep_conn on;
      fastcgi_buffering off;
    }`,
    `upstream anyserver {
    server ${server};
    keepalive 8;
  }`,
  );
}
