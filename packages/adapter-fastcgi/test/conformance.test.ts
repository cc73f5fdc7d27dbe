import { rmSync } from "node:fs";
import { describeAdapter } from "@anyserver/adapter-test-suite";
import { tempDir } from "../../adapter-cgi/test/_hosts.ts";
import fastcgi from "../src/index.ts";
import { startNginxFor } from "./_nginx.ts";

describeAdapter(fastcgi, {
  // Browsers never speak FastCGI: every case runs through nginx's fastcgi_pass (kept connections).
  async serve(app, options) {
    const responder = await fastcgi.serve(app, options);
    const dir = tempDir("fastcgi-conformance");
    const nginx = await startNginxFor({ port: responder.port }, dir).catch(async (error) => {
      await responder.close();
      throw error;
    });
    return {
      url: new URL(`${nginx.origin}/`),
      port: nginx.port,
      adapter: responder.adapter,
      native: responder.native,
      // The gateway closes as a whole: nginx stops accepting and finishes its in-flight requests
      // while the responder drains them.
      async close(closeOptions) {
        try {
          await Promise.all([responder.close(closeOptions), nginx.stop()]);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  },
  unsupported: {
    "close-in-flight-keepalive":
      "the client's connection is nginx's: a response that reaches nginx before it acts on its stop signal still says Connection: keep-alive (nginx closes the connection after it)",
    "error-stream-midway":
      "the responder cuts the connection without FCGI_END_REQUEST, but nginx with fastcgi_buffering off then ends the client's response as if complete (with buffering on it passes the cut on, but holds streams back)",
  },
});
