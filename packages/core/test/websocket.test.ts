import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { selfSignedTls, type WsClient, WsClients } from "@anyserver/adapter-test-suite";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type Adapter, type App, type RunningServer, serve } from "../src/index.ts";

const UWS = fileURLToPath(new URL("../../adapter-uws/dist/index.js", import.meta.url));

const app: App = {
  fetch: async (request) => new Response(`http ${request.method} ${new URL(request.url).pathname}`),
  websocket: {
    open(peer) {
      peer.send(JSON.stringify({ url: peer.request.url, remoteAddress: peer.remoteAddress }));
    },
    message(peer, message) {
      if (message.text().startsWith("close:")) peer.close(Number(message.text().slice(6)));
      else peer.send(message.rawData);
    },
  },
};

let server: RunningServer | undefined;
let clients: WsClients | undefined;
const errors: string[] = [];
afterEach(async () => {
  clients?.dispose();
  clients = undefined;
  await server?.close({ timeout: 1000 });
  server = undefined;
  errors.length = 0;
});

async function start(
  adapter: string | Adapter<any>,
  options: Record<string, unknown> = {},
): Promise<WsClients> {
  const logger = {
    info() {},
    warn: (line: string) => errors.push(line),
    error: (line: string) => errors.push(line),
  };
  server = await serve(app, { server: adapter, port: 0, logger, ...options });
  clients = new WsClients(server.port);
  return clients;
}

/** A raw request and everything the server answered before closing. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // Half-close after the request: servers that keep the connection alive then close it.
    const socket = connect(port, "127.0.0.1", () => socket.end(request));
    let answer = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
  });
}

const h2c =
  "GET /probe HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n";

describe.each([
  ["node", "node"],
  ["uws", UWS],
])("WebSockets on %s", (name, adapter) => {
  it("answers an Upgrade that is not a WebSocket (an h2c probe) with the app over HTTP/1.1", async () => {
    await start(adapter);
    const answer = await rawExchange(server!.port, h2c);
    expect(answer.split("\r\n")[0]).toBe("HTTP/1.1 200 OK");
    expect(answer.endsWith("\r\n\r\nhttp GET /probe")).toBe(true);
  });

  it("closes a connection whose message passes websocket.maxMessageSize, and serves on", async () => {
    const ws = await start(adapter, { websocket: { maxMessageSize: 1024 } });
    const client = await ws.open("/big");
    await client.next();
    client.socket.send(Buffer.alloc(1024));
    expect((await client.next()).data.byteLength).toBe(1024);
    client.socket.send(Buffer.alloc(1025));
    // uWS cuts the connection without a close frame; ws sends 1009 (message too big).
    expect((await client.closeEvent()).code).toBe(name === "node" ? 1009 : 1006);
    const fresh = await ws.open("/after");
    await fresh.next();
    fresh.socket.send("still here");
    expect(await fresh.text()).toBe("still here");
  });

  it("reads the client's address and scheme from X-Forwarded-* with trustProxy, and not without", async () => {
    const headers = { "x-forwarded-for": "203.0.113.9, 10.0.0.1", "x-forwarded-proto": "https" };
    const trusted = await start(adapter, { trustProxy: true });
    const info = async (ws: WsClients) => JSON.parse(await (await ws.open("/who", { headers })).text());
    expect(await info(trusted)).toEqual({
      url: `https://127.0.0.1:${server!.port}/who`,
      remoteAddress: "203.0.113.9",
    });
    await server!.close();
    const plain = await start(adapter);
    expect(await info(plain)).toEqual({
      url: `http://127.0.0.1:${server!.port}/who`,
      remoteAddress: "127.0.0.1",
    });
  });

  it("serves wss:// with tls, giving the peer an https:// request", async () => {
    const tls = selfSignedTls();
    await start(adapter, { tls });
    const socket = new WebSocket(`wss://127.0.0.1:${server!.port}/secure`, { ca: tls.cert });
    try {
      const [first] = await new Promise<[Buffer]>((resolve, reject) => {
        socket.once("message", (data: Buffer) => resolve([data]));
        socket.once("error", reject);
      });
      expect(JSON.parse(String(first)).url).toBe(`https://127.0.0.1:${server!.port}/secure`);
      socket.send("over tls");
      const [echo] = await new Promise<[Buffer]>((resolve) =>
        socket.once("message", (data: Buffer) => resolve([data])),
      );
      expect(String(echo)).toBe("over tls");
    } finally {
      socket.terminate();
    }
  });

  it("fails a peer.close() with a code no server may send as a hook error: one line, 1011", async () => {
    const ws = await start(adapter);
    const client: WsClient = await ws.open("/bad-close");
    await client.next();
    client.socket.send("close:1005");
    expect((await client.closeEvent()).code).toBe(1011);
    // The line names the app's call, not where anyserver threw.
    expect(errors).toEqual([
      expect.stringMatching(
        /^WebSocket \/bad-close message hook failed: TypeError: \[anyserver\] peer\.close\(1005\): not a close code a server may send\. Use 1000 \(normal\), 1001 \(going away\), 1008 \(policy\), 1011 \(error\) or your own 3000–4999\. \(at test\/websocket\.test\.ts:\d+:\d+\)$/,
      ),
    ]);
  });
});

describe("WebSockets on node:http", () => {
  it("refuses an Upgrade that is not a WebSocket but carries a body with 400 (node:http cannot pass the body on)", async () => {
    await start("node");
    const answer = await rawExchange(
      server!.port,
      "POST /p HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: h2c\r\nContent-Length: 5\r\n\r\nhello",
    );
    expect(answer.split("\r\n")[0]).toBe("HTTP/1.1 400 Bad Request");
    expect(answer.endsWith("\r\n\r\nBad Request: a request body with an Upgrade header")).toBe(true);
    expect((await fetch(server!.url)).status).toBe(200);
  });
});
