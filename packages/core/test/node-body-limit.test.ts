import { header, RawConnection, rawRequest } from "@anyserver/adapter-test-suite";
import { afterEach, describe, expect, it } from "vitest";
import { closeAll, startNode } from "./_node.ts";

const LIMIT = 1024;

/** Reads the body as the test asks: whole (text) or as a stream (request.body). */
const app = async (request: Request) => {
  if (new URL(request.url).pathname === "/stream") {
    let size = 0;
    for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) size += chunk.length;
    return new Response(`streamed ${size}`);
  }
  return new Response(`read ${(await request.text()).length}`);
};

function chunked(chunks: number, size: number): string {
  const chunk = `${size.toString(16)}\r\n${"x".repeat(size)}\r\n`;
  return `${chunk.repeat(chunks)}0\r\n\r\n`;
}

async function send(port: number, bytes: Buffer | string) {
  const connection = await RawConnection.open(port);
  try {
    connection.write(bytes);
    return await connection.response();
  } finally {
    connection.destroy();
  }
}

describe("node adapter bodyLimit", () => {
  afterEach(closeAll);

  it("reads a body within the limit", async () => {
    const server = await startNode(app, { bodyLimit: LIMIT });
    const response = await fetch(new URL("/", server.url), { method: "POST", body: "x".repeat(LIMIT) });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(`read ${LIMIT}`);
  });

  it("answers 413 to a declared Content-Length over the limit, and serves on", async () => {
    const server = await startNode(app, { bodyLimit: LIMIT });
    // Only part of the announced body is sent: the answer must not wait for the rest.
    const response = await send(
      server.port,
      rawRequest(server.port, "POST", "/", { "Content-Length": "4096" }, "x".repeat(100)),
    );
    expect(response.status).toBe(413);
    expect(header(response, "connection")).toBe("close");
    expect(response.body.toString()).toBe("Payload Too Large");
    expect(await (await fetch(new URL("/", server.url), { method: "POST", body: "ok" })).text()).toBe(
      "read 2",
    );
  });

  for (const path of ["/", "/stream"]) {
    it(`answers 413 to a chunked body that grows past the limit (${path === "/" ? "text()" : "request.body"}), and serves on`, async () => {
      const server = await startNode(app, { bodyLimit: LIMIT });
      const request = rawRequest(
        server.port,
        "POST",
        path,
        { "Transfer-Encoding": "chunked" },
        chunked(8, 512),
      );
      const response = await send(server.port, request);
      expect(response.status).toBe(413);
      expect(response.body.toString()).toBe("Payload Too Large");
      expect(await (await fetch(new URL(path, server.url), { method: "POST", body: "ok" })).text()).toMatch(
        / 2$/,
      );
    });
  }
});
