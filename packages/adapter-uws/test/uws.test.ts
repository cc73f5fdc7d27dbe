import { once } from "node:events";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { header, RawConnection, rawRequest } from "@anyserver/adapter-test-suite";
import { type App, listenError, type RunningServer, type ServeOptions, silentLogger } from "@anyserver/core";
import { afterEach, describe, expect, it } from "vitest";
import uws, { type UwsAdapterOptions, type UwsNative } from "../src/index.ts";
import { eventually, MiB, settled } from "./_raw.ts";

const hello = (request: Request) => new Response(`app ${request.method} ${new URL(request.url).pathname}`);

describe("uws adapter", () => {
  const servers: RunningServer[] = [];
  const connections: RawConnection[] = [];
  const start = async (app: App, options: ServeOptions & UwsAdapterOptions = {}) => {
    const server = await uws.serve(app, { port: 0, logger: silentLogger, ...options });
    servers.push(server);
    return server;
  };
  const connect = async (server: RunningServer) => {
    const connection = await RawConnection.open(server.port, server.url.hostname.replace(/^\[|\]$/g, ""));
    connections.push(connection);
    return connection;
  };
  afterEach(async () => {
    for (const connection of connections.splice(0)) connection.destroy();
    await Promise.all(servers.splice(0).map((server) => server.close({ timeout: 1000 })));
  });

  it("answers routes from configure before the app, and hands the app uWS's response as native", async () => {
    let native: unknown;
    const server = await start(
      (request, context) => {
        native = context.native;
        return hello(request);
      },
      { configure: (app) => void app.get("/native", (res) => void res.end("from uWS")) },
    );
    expect(await (await fetch(new URL("/native", server.url))).text()).toBe("from uWS");
    expect(await (await fetch(new URL("/other", server.url))).text()).toBe("app GET /other");
    expect(typeof (native as UwsNative).res.cork).toBe("function");
  });

  it("reuses a kept-alive connection for request after request", async () => {
    const server = await start(hello);
    const connection = await connect(server);
    for (const path of ["/one", "/two", "/three"]) {
      connection.write(rawRequest(server.port, "GET", path));
      const response = await connection.response();
      expect(response.status).toBe(200);
      expect(response.body.toString()).toBe(`app GET ${path}`);
    }
    expect(connection.ended).toBe(false);
  });

  it("refuses a declared body over maxBodyLength with 413 before the app runs", async () => {
    let calls = 0;
    const server = await start(
      () => {
        calls++;
        return new Response("ok");
      },
      { maxBodyLength: 1000 },
    );
    const connection = await connect(server);
    connection.write(rawRequest(server.port, "POST", "/", { "Content-Length": "2000" }, "x".repeat(2000)));
    const response = await connection.response();
    expect(response.status).toBe(413);
    expect(header(response, "connection")).toBe("close");
    await connection.closed();
    expect(calls).toBe(0);
  });

  it("answers a chunked body that grows past maxBodyLength with 413 when the app reads it", async () => {
    const server = await start(async (request) => new Response(await request.text()), {
      maxBodyLength: 2500,
    });
    const chunk = `3e8\r\n${"y".repeat(1000)}\r\n`;
    const connection = await connect(server);
    connection.write(
      rawRequest(
        server.port,
        "POST",
        "/",
        { "Transfer-Encoding": "chunked" },
        `${chunk}${chunk}${chunk}0\r\n\r\n`,
      ),
    );
    const response = await connection.response();
    expect(response.status).toBe(413);
    expect(response.body.toString()).toBe("Payload Too Large");
  });

  it("refuses conflicting Content-Length headers with 400 and closes (no request smuggling)", async () => {
    const server = await start(async (request) => new Response(await request.text()));
    const connection = await connect(server);
    connection.write(
      rawRequest(server.port, "POST", "/", [
        ["Content-Length", "3"],
        ["Content-Length", "4"],
      ]),
    );
    connection.write("abcd");
    const response = await connection.response();
    expect(response.status).toBe(400);
    await connection.closed();
  });

  it("holds a 64 MiB upload back while the app has not read it, then takes all of it", async () => {
    const total = 64 * MiB;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const server = await start(async (request) => {
      await released;
      let size = 0;
      for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>)
        size += chunk.byteLength;
      return new Response(`received ${size}`);
    });
    const connection = await connect(server);
    connection.write(rawRequest(server.port, "POST", "/", { "Content-Length": String(total) }));
    const chunk = Buffer.alloc(MiB, 0x61);
    let flushed = 0;
    let queued = 0;
    const writeMore = () => {
      while (queued < total) {
        queued += MiB;
        if (!connection.socket.write(chunk, () => (flushed += MiB))) return;
      }
    };
    connection.socket.on("drain", writeMore);
    writeMore();
    // Socket buffers take a few MiB; a server that buffered the body would take all 64.
    expect(await settled(() => flushed)).toBeLessThan(total / 2);
    release();
    const response = await connection.response("POST", 30_000);
    expect(response.body.toString()).toBe(`received ${total}`);
  });

  it("sends all of an 8 MiB body to a slow reader before close() resolves", async () => {
    const size = 8 * MiB;
    let asked = false;
    const server = await start(() => {
      asked = true;
      return new Response(new Uint8Array(size).fill(0x62));
    });
    const connection = await connect(server);
    const socket = connection.socket.removeAllListeners("data").pause();
    connection.write(rawRequest(server.port, "GET", "/", { Connection: "close" }));
    expect(await eventually(() => asked)).toBe(true);
    let closed = false;
    const closing = server.close({ timeout: 20_000 }).then(() => (closed = true));
    await sleep(300);
    expect(closed, "close() resolved before the body was sent").toBe(false);
    let received = 0;
    socket.on("data", (chunk: Buffer) => (received += chunk.length)).resume();
    await once(socket, "close");
    await closing;
    // The head, then every body byte: a cut connection would leave fewer.
    expect(received).toBeGreaterThan(size);
    expect(received).toBeLessThan(size + 300);
  });

  it("gives the app the client's IPv6 address the way node:net writes it", async () => {
    const server = await start(
      (request, context) => Response.json({ url: request.url, from: context.remoteAddress }),
      {
        host: "::1",
      },
    );
    expect(server.url.href).toBe(`http://[::1]:${server.port}/`);
    const seen = await (await fetch(new URL("/six", server.url))).json();
    expect(seen).toEqual({ url: `http://[::1]:${server.port}/six`, from: "::1" });
  });

  it("says a port in use is in use, in the line node gives", async () => {
    const blocker = createServer().listen(0, "127.0.0.1");
    await once(blocker, "listening");
    const { port } = blocker.address() as { port: number };
    try {
      const inUse = listenError(
        Object.assign(new Error(), { code: "EADDRINUSE" }),
        "127.0.0.1",
        port,
      ).message;
      await expect(start(hello, { port })).rejects.toThrow(inUse);
    } finally {
      blocker.close();
    }
  });

  it("does not share its port with a second uws server outside a worker fleet", async () => {
    const first = await start(hello);
    const inUse = listenError(
      Object.assign(new Error(), { code: "EADDRINUSE" }),
      "127.0.0.1",
      first.port,
    ).message;
    await expect(start(hello, { port: first.port })).rejects.toThrow(inUse);
    expect(await (await fetch(first.url)).text()).toBe("app GET /");
  });
});
