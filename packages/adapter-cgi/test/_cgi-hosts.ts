import { type Host, startFcgiwrap, startLighttpd, startNginx } from "./_hosts.ts";
import type { UserProject } from "./_project.ts";

/** A web server that runs an app as a CGI program, one process per request. */
export interface CgiHost {
  name: string;
  /** Start it in `project`, running `entry` through the README's two-line wrapper script. */
  start(project: UserProject, entry: string): Promise<Host>;
  /** The Host header the app sees: Debian's fastcgi_params pass nginx's $host, without the port. */
  hostHeader(host: Host): string;
}

export const lighttpd: CgiHost = {
  name: "lighttpd",
  start(project, entry) {
    project.script("app.cgi", entry);
    project.script("nph-app.cgi", entry);
    return startLighttpd(
      project.dir,
      `server.modules = ( "mod_rewrite", "mod_cgi" )
server.document-root = "${project.www}"
server.stream-response-body = 2
cgi.assign = ( ".cgi" => "" )
cgi.limits = ( "tcp-fin-propagate" => "SIGTERM" )
url.rewrite-once = ( "^/nph/(.*)$" => "/nph-app.cgi/$1", "^/(nph-)?app\\.cgi(/.*)?$" => "$0", "^(.*)$" => "/app.cgi$1" )`,
    );
  },
  hostHeader: (host) => `127.0.0.1:${host.port}`,
};

export const nginxFcgiwrap: CgiHost = {
  name: "nginx + fcgiwrap",
  async start(project, entry) {
    const script = project.script("app.cgi", entry);
    const fcgiwrap = await startFcgiwrap(project.dir);
    try {
      const nginx = await startNginx(
        project.dir,
        `location / {
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME ${script};
      fastcgi_buffering off;
      fastcgi_pass unix:${fcgiwrap.socket};
    }`,
      );
      return { ...nginx, stop: () => nginx.stop().finally(() => fcgiwrap.stop()) };
    } catch (error) {
      await fcgiwrap.stop();
      throw error;
    }
  },
  hostHeader: () => "127.0.0.1",
};
