import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeAdapter } from "../src/node/adapter.ts";
import type { Logger, RunningServer } from "../src/types.ts";
import { rawExchange as raw } from "./_node.ts";

describe("node bridge and the Host header", () => {
  const logged: string[] = [];
  const logger: Logger = { info() {}, warn: (l) => logged.push(l), error: (l) => logged.push(l) };
  let server: RunningServer;
  beforeAll(async () => {
    server = await nodeAdapter.serve((request) => new Response(new URL(request.url).host), {
      port: 0,
      logger,
    });
  });
  afterAll(() => server.close());

  it.each([["a b"], ["evil.com/path"], ["x@y"], ["[::1"], ["host:port"]])(
    "answers 400 to Host %j without calling the app",
    async (host) => {
      const response = await raw(server.port, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(response).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(response.endsWith("\r\n\r\nBad Request")).toBe(true);
    },
  );

  it.each([["example.com"], ["127.0.0.1:8080"], ["[::1]:3000"], ["xn--bcher-kva.example"]])(
    "serves Host %j",
    async (host) => {
      const response = await raw(server.port, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(response.endsWith(`\r\n\r\n${host}`)).toBe(true);
    },
  );

  it("keeps serving and logs nothing for the client's mistake", async () => {
    expect(logged).toEqual([]);
    expect(await (await fetch(server.url)).text()).toBe(server.url.host);
  });
});
