import { selfSignedTls } from "@anyserver/adapter-test-suite";
import { describe, expect, it } from "vitest";
import { type App, serve } from "../src/index.ts";

// What HTTP/2 does on the servers that serve it is the conformance suite's `http2` area.
const echo: App = () => new Response("never served");

describe("http2 refused where it cannot be served", () => {
  const tls = selfSignedTls();

  it("refuses http2 without TLS, and on a server that does not serve it, in one line", async () => {
    await expect(serve(echo, { port: 0, http2: true })).rejects.toThrow(
      "HTTP/2 needs TLS (browsers speak it only over HTTPS): add --tls-cert FILE and --tls-key FILE.",
    );
    const plain = { name: "plain", serve: () => Promise.reject(new Error("not reached")) };
    await expect(serve(echo, { server: plain, port: 0, tls, http2: true })).rejects.toThrow(
      'Server "plain" does not serve HTTP/2 through anyserver. Drop --http2, or use -s node.',
    );
    const told = { ...plain, unsupported: { http2: "its requests are HTTP/1 only" } };
    await expect(serve(echo, { server: told, port: 0, tls, http2: true })).rejects.toThrow(
      'Server "plain" does not serve HTTP/2 through anyserver (its requests are HTTP/1 only). Drop --http2, or use -s node.',
    );
  });
});
