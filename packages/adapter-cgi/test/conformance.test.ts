import { symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describeAdapter } from "@anyserver/adapter-test-suite";
import cgi from "../src/index.ts";
import { startLighttpd } from "./_hosts.ts";
import { userProject } from "./_project.ts";

const SUITE = fileURLToPath(new URL("../../adapter-test-suite", import.meta.url));

describeAdapter(cgi, {
  // Every case runs through lighttpd, which starts the CGI program once per request. That
  // program loads the suite's fixture from its entry module (the same fixture the suite
  // would serve, without its WebSocket hooks) instead of receiving the suite's instance.
  async serve() {
    const project = userProject();
    symlinkSync(SUITE, join(project.dir, "node_modules/@anyserver/adapter-test-suite"));
    const entry = join(project.dir, "fixture.mjs");
    writeFileSync(
      entry,
      `import fixture from "@anyserver/adapter-test-suite/fixture";\nexport default { fetch: (request, context) => fixture.fetch(request, context) };\n`,
    );
    project.script("app.cgi", entry);
    const host = await startLighttpd(
      project.dir,
      `server.modules = ( "mod_rewrite", "mod_cgi" )
server.document-root = "${project.www}"
server.stream-response-body = 2
# lighttpd's own limit on the client's request head (8 KiB): the suite sends an 8 KiB header.
server.max-request-field-size = 32768
cgi.assign = ( ".cgi" => "" )
cgi.limits = ( "tcp-fin-propagate" => "SIGTERM" )
url.rewrite-once = ( "^/app\\.cgi(/.*)?$" => "$0", "^(.*)$" => "/app.cgi$1" )`,
    ).catch((error) => {
      project.remove();
      throw error;
    });
    return {
      url: new URL(`${host.origin}/`),
      port: host.port,
      adapter: "cgi",
      native: host,
      async close() {
        await host.stop();
        project.remove();
      },
    };
  },
  unsupported: {
    // The cases below read back (or release) a request through the fixture's shared state;
    // each CGI request runs in a process of its own, which the next request cannot see.
    ...Object.fromEntries(
      [
        "backpressure",
        "client-abort-cancels-stream",
        "client-abort-signal",
        "client-gone-cancels-late-stream",
        "stream-headers-before-body",
        "sse",
        "close-in-flight",
        "close-refuses-new",
        "close-waits-wait-until",
        "close-force-after-timeout",
        "close-in-flight-keepalive",
        "close-streaming-keepalive",
      ].map((id) => [
        id,
        "each request runs in its own CGI process, so the fixture cannot share with the case what it saw of a request",
      ]),
    ),
    "error-logged":
      "the CGI program logs to stderr, which the web server keeps in its error log (tested in hosts.test.ts)",
    "error-stream-logged":
      "the CGI program logs to stderr, which the web server keeps in its error log (tested in hosts.test.ts)",
    "error-stream-midway":
      "a CGI program cannot mark its response as cut: the web server ends it when the program's stdout closes",
    "status-text-custom": "lighttpd sends its own reason phrase, not the one in the program's Status line",
    "body-empty-post": "lighttpd answers a POST without Content-Length with 411 before starting the program",
    concurrency:
      "each request starts a Node.js process: 100 at once take longer than the case's 15 s on a 2-core machine",
  },
});
