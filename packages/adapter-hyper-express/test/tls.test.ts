import { request } from "node:https";
import { selfSignedTls } from "@anyserver/adapter-test-suite";
import { silentLogger } from "@anyserver/core";
import { describe, expect, it } from "vitest";
import hyperExpress from "../src/index.ts";

function httpsGet(url: URL, ca: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("hyper-express adapter over HTTPS", () => {
  it("serves HTTPS with the given certificate and gives the app an https:// URL", async () => {
    const tls = selfSignedTls();
    const server = await hyperExpress.serve((request) => new Response(request.url), {
      port: 0,
      tls,
      logger: silentLogger,
    });
    try {
      expect(await httpsGet(new URL("/secure", server.url), tls.cert)).toBe(
        `https://127.0.0.1:${server.port}/secure`,
      );
    } finally {
      await server.close({ timeout: 1000 });
    }
  });

  it("says in one line that a certificate it cannot load is unusable", async () => {
    const serving = hyperExpress.serve(() => new Response("never"), {
      port: 0,
      tls: { key: "not a key", cert: "not a certificate" },
      logger: silentLogger,
    });
    await expect(serving).rejects.toThrow(/^uWebSockets\.js could not load the TLS certificate and key\./);
  });
});
