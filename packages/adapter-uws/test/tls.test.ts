import { request } from "node:https";
import { selfSignedTls } from "@anyserver/adapter-test-suite";
import { type RunningServer, silentLogger, type TlsOptions } from "@anyserver/core";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import uws from "../src/index.ts";

let tls: TlsOptions;

/** GET over HTTPS trusting only our self-signed certificate. */
function httpsGet(url: URL, ca: string | Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("uws adapter over HTTPS", () => {
  let server: RunningServer | undefined;
  beforeAll(() => {
    tls = selfSignedTls();
  });
  afterEach(async () => {
    await server?.close({ timeout: 1000 });
    server = undefined;
  });

  it("serves HTTPS with the given certificate and gives the app an https:// URL", async () => {
    server = await uws.serve((request) => new Response(`${request.method} ${request.url}`), {
      port: 0,
      tls,
      logger: silentLogger,
    });
    expect(server.url.protocol).toBe("https:");
    const response = await httpsGet(new URL("/secure?x=1", server.url), tls.cert);
    expect(response).toEqual({ status: 200, body: `GET https://127.0.0.1:${server.port}/secure?x=1` });
  });

  it("says in one line that a certificate it cannot load is unusable", async () => {
    const serving = uws.serve(() => new Response("never"), {
      port: 0,
      tls: { key: "not a key", cert: "not a certificate" },
      logger: silentLogger,
    });
    await expect(serving).rejects.toThrow(
      /^uWebSockets\.js could not load the TLS certificate and key\. Check that both are PEM files/,
    );
  });
});
