import { RawConnection, rawRequest } from "@anyserver/adapter-test-suite";
import { afterEach, describe, expect, it } from "vitest";
import { closeAll, startNode } from "./_node.ts";

const whoAmI = (request: Request, context: { remoteAddress?: string }) =>
  Response.json({ url: request.url, remoteAddress: context.remoteAddress });

const FORWARDED: [string, string][] = [
  ["X-Forwarded-For", "203.0.113.7, 10.0.0.1"],
  ["X-Forwarded-Proto", "https"],
  ["X-Forwarded-Host", "shop.example"],
];

async function ask(port: number): Promise<{ url: string; remoteAddress: string }> {
  const connection = await RawConnection.open(port);
  try {
    connection.write(rawRequest(port, "GET", "/cart?x=1", FORWARDED));
    return JSON.parse((await connection.response()).body.toString());
  } finally {
    connection.destroy();
  }
}

describe("node adapter trustProxy", () => {
  afterEach(closeAll);

  it("ignores X-Forwarded-For, -Proto and -Host by default", async () => {
    const server = await startNode(whoAmI);
    expect(await ask(server.port)).toEqual({
      url: `http://127.0.0.1:${server.port}/cart?x=1`,
      remoteAddress: "127.0.0.1",
    });
  });

  it("takes the client address, scheme and host from X-Forwarded-* with trustProxy", async () => {
    const server = await startNode(whoAmI, { trustProxy: true });
    expect(await ask(server.port)).toEqual({
      url: "https://shop.example/cart?x=1",
      remoteAddress: "203.0.113.7",
    });
  });

  it("falls back to the socket and Host header when a trusted proxy sends no X-Forwarded-*", async () => {
    const server = await startNode(whoAmI, { trustProxy: true });
    const seen = await (await fetch(new URL("/plain", server.url))).json();
    expect(seen).toEqual({ url: `http://127.0.0.1:${server.port}/plain`, remoteAddress: "127.0.0.1" });
  });
});
