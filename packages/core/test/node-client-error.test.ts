import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportClientErrors } from "../src/node/client-error.ts";
import type { Refusal } from "../src/observe/refusal.ts";
import { rawExchange } from "./_node.ts";

describe("requests node:http's parser refuses, as reported to the observers", () => {
  const refusals: Refusal[] = [];
  let server: Server;
  let port: number;
  beforeAll(async () => {
    // Answers late, so a second request in the same chunk is parsed while the first is in flight.
    server = createServer((_req, res) => setTimeout(() => res.end("ok"), 20));
    reportClientErrors(server, (refusal) => refusals.push(refusal));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("names the request line of the request that failed, also behind a pipelined one", async () => {
    refusals.length = 0;
    const single = await rawExchange(port, "GET /a?x=1 HTTP/1.1\r\nHost: x\r\nNo colon\r\n\r\n");
    expect(single).toBe("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    await rawExchange(
      port,
      "GET /ok HTTP/1.1\r\nHost: x\r\n\r\nPOST /second HTTP/1.1\r\nHost: x\r\nNo colon\r\n\r\n",
    );
    await rawExchange(port, "\x16\x03\x01\x02\x00\x01\x00\x01\r\n\r\n");
    expect(refusals.map((r) => [r.method, r.target, r.protocol, r.status, r.bytes])).toEqual([
      ["GET", "/a?x=1", "HTTP/1.1", 400, 0],
      ["POST", "/second", "HTTP/1.1", 400, 0],
      ["", "", "", 400, 0],
    ]);
    expect(refusals.every((r) => r.remote === "127.0.0.1")).toBe(true);
  });
});
