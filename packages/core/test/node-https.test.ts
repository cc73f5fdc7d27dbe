import { request } from "node:https";
import { connect } from "node:net";
import { selfSignedTls } from "@anyserver/adapter-test-suite";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TlsOptions } from "../src/index.ts";
import { closeAll, startNode } from "./_node.ts";

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

const whoAmI = (request: Request) => new Response(`${request.method} ${request.url}`);

describe("node adapter over HTTPS", () => {
  beforeAll(() => {
    tls = selfSignedTls();
  });
  afterEach(closeAll);

  it("serves HTTPS with the given certificate and gives the app an https:// URL", async () => {
    const server = await startNode(whoAmI, { tls });
    expect(server.url.protocol).toBe("https:");
    const response = await httpsGet(new URL("/secure?x=1", server.url), tls.cert);
    expect(response).toEqual({ status: 200, body: `GET https://127.0.0.1:${server.port}/secure?x=1` });
  });

  it("rejects a client that does not trust the certificate", async () => {
    const server = await startNode(whoAmI, { tls });
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it("closes even when a client connected but never finished the TLS handshake", async () => {
    const server = await startNode(whoAmI, { tls });
    const socket = connect(server.port, "127.0.0.1");
    socket.on("error", () => {});
    await new Promise((resolve) => socket.once("connect", resolve));
    try {
      await server.close({ timeout: 300 });
    } finally {
      socket.destroy();
    }
  });
});
