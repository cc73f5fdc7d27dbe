import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { header, RawConnection, rawRequest } from "@anyserver/adapter-test-suite";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../src/index.ts";
import { createNodeBridge } from "../src/node/bridge.ts";
import { closeAll, startNode } from "./_node.ts";

/** An app whose /stuck route never answers, and whose / answers at once. */
function stuckApp() {
  const started: (() => void)[] = [];
  const app = (request: Request) => {
    if (new URL(request.url).pathname !== "/stuck") return new Response("ok");
    for (const resolve of started.splice(0)) resolve();
    return new Promise<Response>(() => {});
  };
  const stuckStarted = () => new Promise<void>((resolve) => started.push(resolve));
  return { app, stuckStarted };
}

describe("node adapter close()", () => {
  afterEach(closeAll);

  it("forces a stuck request's connection closed once the timeout passes", async () => {
    const { app, stuckStarted } = stuckApp();
    const server = await startNode(app);
    const connection = await RawConnection.open(server.port);
    try {
      const started = stuckStarted();
      connection.write(rawRequest(server.port, "GET", "/stuck"));
      await started;
      const begin = performance.now();
      await server.close({ timeout: 400 });
      // It waited for the stuck request (not a bound on speed: only that the timeout was honoured).
      expect(performance.now() - begin).toBeGreaterThanOrEqual(350);
      await connection.closed(2000);
      expect(connection.buffered.length).toBe(0);
    } finally {
      connection.destroy();
    }
  });

  it("uses gracefulTimeout when close() is given no timeout", async () => {
    const { app, stuckStarted } = stuckApp();
    const server = await startNode(app, { gracefulTimeout: 300 });
    const connection = await RawConnection.open(server.port);
    try {
      const started = stuckStarted();
      connection.write(rawRequest(server.port, "GET", "/stuck"));
      await started;
      await server.close();
      await connection.closed(2000);
    } finally {
      connection.destroy();
    }
  });

  it("closes idle keep-alive connections at once instead of waiting for the timeout", async () => {
    const server = await startNode(() => new Response("ok"));
    const idle = await Promise.all([RawConnection.open(server.port), RawConnection.open(server.port)]);
    try {
      for (const connection of idle) {
        connection.write(rawRequest(server.port, "GET", "/"));
        expect((await connection.response()).status).toBe(200);
      }
      // A never-used connection is idle too.
      idle.push(await RawConnection.open(server.port));
      const begin = performance.now();
      await server.close({ timeout: 30_000 });
      expect(performance.now() - begin).toBeLessThan(10_000);
      for (const connection of idle) expect(connection.ended).toBe(true);
    } finally {
      for (const connection of idle) connection.destroy();
    }
  });

  it("returns the same promise when close() is called twice", async () => {
    const server = await startNode(() => new Response("ok"));
    const first = server.close();
    expect(server.close()).toBe(first);
    await first;
  });

  it("drains a connection that arrived before the server was handed to the bridge (a cluster worker gets them as soon as it listens)", async () => {
    const bridge = createNodeBridge(() => new Response("ok"), { adapter: "node", logger: silentLogger });
    const http = createServer((req, res) => bridge.handle(req, res));
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const { port } = http.address() as AddressInfo;
    const early = await RawConnection.open(port);
    try {
      early.write(rawRequest(port, "GET", "/"));
      expect((await early.response()).status).toBe(200);
      const server = bridge.running(http);
      const begin = performance.now();
      await server.close({ timeout: 10_000 });
      // Idle, it is closed after the short window, not held until the 10 s timeout.
      expect(performance.now() - begin).toBeLessThan(5000);
      await early.closed(1000);
    } finally {
      early.destroy();
    }
  });

  it("answers pipelined requests in flight at close(), only the last with Connection: close", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const arrived: string[] = [];
    let bothArrived!: () => void;
    const both = new Promise<void>((resolve) => (bothArrived = resolve));
    const server = await startNode(async (request: Request) => {
      const path = new URL(request.url).pathname;
      if (arrived.push(path) === 2) bothArrived();
      await released;
      return new Response(path);
    });
    const connection = await RawConnection.open(server.port);
    try {
      connection.write(
        Buffer.concat([rawRequest(server.port, "GET", "/slow"), rawRequest(server.port, "GET", "/queued")]),
      );
      await both;
      const closing = server.close({ timeout: 10_000 });
      release();
      const first = await connection.response();
      const second = await connection.response();
      expect([first.status, first.body.toString()]).toEqual([200, "/slow"]);
      expect([second.status, second.body.toString()]).toEqual([200, "/queued"]);
      // Closing after the first would drop the second: only the last one says so.
      expect(header(first, "connection")?.toLowerCase()).toBe("keep-alive");
      expect(header(second, "connection")?.toLowerCase()).toBe("close");
      await connection.closed(2000);
      await closing;
    } finally {
      connection.destroy();
    }
  });
});
