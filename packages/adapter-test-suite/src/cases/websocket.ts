import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { expect } from "vitest";
import { type CaseContext, defineCases } from "../case.ts";
import { FLOOD_MESSAGE_BYTES, WS_TOKEN } from "../fixture/websocket.ts";
import { settlesWithin, within } from "../wait.ts";
import { clientFrame, WsClients } from "../ws-client.ts";

/** The default `websocket.maxBackpressure`: what the server may queue for one client. */
const MAX_BACKPRESSURE = 1024 * 1024;
const CONCURRENT_SOCKETS = 500;

/** Run `body` with a set of clients for the shared server (or `port`), all terminated afterwards. */
async function withClients(
  t: CaseContext,
  body: (ws: WsClients) => Promise<void>,
  port = t.port,
): Promise<void> {
  const ws = new WsClients(port);
  try {
    await body(ws);
  } finally {
    ws.dispose();
  }
}

export const websocketCases = defineCases("websocket", [
  {
    id: "ws-text-echo",
    title: "echoes a text message as text",
    run: (t) =>
      withClients(t, async (ws) => {
        const client = await ws.open("/ws/echo");
        client.socket.send("héllo, wörld ✓");
        const reply = await client.next();
        expect(reply.binary).toBe(false);
        expect(reply.data.toString()).toBe("héllo, wörld ✓");
      }),
  },
  {
    id: "ws-binary-echo",
    title: "echoes a binary message as binary, byte for byte",
    run: (t) =>
      withClients(t, async (ws) => {
        const client = await ws.open("/ws/echo");
        const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
        client.socket.send(bytes);
        const reply = await client.next();
        expect(reply.binary).toBe(true);
        expect(reply.data.equals(bytes)).toBe(true);
      }),
  },
  {
    id: "ws-large-message",
    title: "echoes a 1 MiB message",
    run: (t) =>
      withClients(t, async (ws) => {
        const client = await ws.open("/ws/echo");
        const bytes = randomBytes(1024 * 1024);
        client.socket.send(bytes);
        const reply = await client.next(15_000);
        expect(reply.data.byteLength).toBe(bytes.byteLength);
        expect(reply.data.equals(bytes)).toBe(true);
      }),
  },
  {
    id: "ws-ping-pong",
    title: "answers a ping with a pong carrying the same data",
    run: (t) =>
      withClients(t, async (ws) => {
        const client = await ws.open("/ws/echo");
        const pong = once(client.socket, "pong");
        client.socket.ping("are you there");
        const [data] = await within(pong, 10_000, "No pong came back");
        expect(String(data)).toBe("are you there");
      }),
  },
  {
    id: "ws-close-from-client",
    title: "gives the close hook the client's close code and reason",
    run: (t) =>
      withClients(t, async (ws) => {
        const id = t.newId();
        const client = await ws.open(`/ws/close?id=${id}`);
        client.socket.close(4001, "client says bye");
        expect((await client.closeEvent()).code).toBe(4001);
        const record = await t.fixture.until(id, "closeCode");
        expect(record.closeCode).toBe(4001);
        expect(record.closeReason).toBe("client says bye");
      }),
  },
  {
    id: "ws-close-from-server",
    title: "closes with the code and reason the app gives peer.close()",
    run: (t) =>
      withClients(t, async (ws) => {
        const id = t.newId();
        const client = await ws.open(`/ws/close?id=${id}`);
        client.socket.send("close:4002:server says bye");
        expect(await client.closeEvent()).toEqual({ code: 4002, reason: "server says bye" });
        expect((await t.fixture.until(id, "closeCode")).closeCode).toBe(4002);
      }),
  },
  {
    id: "ws-upgrade-rejected",
    title: "refuses an upgrade with the 401 Response of the upgrade hook, headers and body",
    run: (t) =>
      withClients(t, async (ws) => {
        const { response, body } = await ws.refused("/ws/private");
        expect(response.statusCode).toBe(401);
        expect(response.headers["www-authenticate"]).toBe('Bearer realm="fixture"');
        expect(body).toBe("Unauthorized");
        expect((await t.fetch("/")).status).toBe(200);
      }),
  },
  {
    id: "ws-upgrade-context",
    title: "accepts the upgrade the hook allows and keeps the context it attached",
    run: (t) =>
      withClients(t, async (ws) => {
        const client = await ws.open("/ws/private", { headers: { authorization: `Bearer ${WS_TOKEN}` } });
        expect(await client.text()).toBe("hello alice");
      }),
  },
  {
    id: "ws-peer-request",
    title: "gives the peer its upgrade request and the client's address",
    run: (t) =>
      withClients(t, async (ws) => {
        const client = await ws.open("/ws/info?x=1", { headers: { "x-case": "peer-request" } });
        const info = JSON.parse(await client.text());
        expect(info.url).toBe(`http://127.0.0.1:${t.port}/ws/info?x=1`);
        expect(info.method).toBe("GET");
        expect(info.header).toBe("peer-request");
        expect(info.remoteAddress).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
        expect(info.id).toMatch(/^[0-9a-f-]{36}$/);
      }),
  },
  {
    id: "ws-publish",
    title: "publishes to the other subscribers of a topic, not to the sender",
    run: (t) =>
      withClients(t, async (ws) => {
        const topic = t.newId();
        const alice = await ws.open(`/ws/room?topic=${topic}`);
        const bob = await ws.open(`/ws/room?topic=${topic}`);
        const other = await ws.open(`/ws/room?topic=${topic}-other`);
        for (const client of [alice, bob, other]) expect(await client.text()).toBe("joined");
        alice.socket.send("hi bob");
        alice.socket.send(Buffer.from([1, 2, 3]));
        expect(await bob.text()).toBe("hi bob");
        const binary = await bob.next();
        expect(binary.binary).toBe(true);
        expect([...binary.data]).toEqual([1, 2, 3]);
        // A later echo through bob proves nothing else was queued for alice or the other topic.
        bob.socket.send("hi alice");
        expect(await alice.text()).toBe("hi alice");
        expect(await settlesWithin(other.next(), 300)).toBe(false);
      }),
  },
  {
    id: "ws-concurrent",
    title: `echoes on ${CONCURRENT_SOCKETS} sockets open at once`,
    timeout: 60_000,
    run: (t) =>
      withClients(t, async (ws) => {
        const clients = await Promise.all(
          Array.from({ length: CONCURRENT_SOCKETS }, () => ws.open("/ws/echo")),
        );
        const replies = await Promise.all(
          clients.map((client, n) => {
            client.socket.send(`socket ${n}`);
            return client.text(30_000);
          }),
        );
        expect(replies).toEqual(clients.map((_, n) => `socket ${n}`));
        await Promise.all(
          clients.map((client) => {
            client.socket.close(1000);
            return client.closeEvent(30_000);
          }),
        );
      }),
  },
  {
    id: "ws-malformed-frame",
    title: "closes a connection that sends a malformed frame and keeps serving the others",
    run: (t) =>
      withClients(t, async (ws) => {
        const healthy = await ws.open("/ws/echo");
        const raw = await ws.raw("/ws/echo");
        raw.resume();
        // Opcode 0x3 is reserved (RFC 6455 §5.2): the server must fail this connection.
        raw.write(clientFrame(0x3, Buffer.from("not a frame")));
        await within(once(raw, "close"), 10_000, "The server kept a connection that sent a malformed frame");
        healthy.socket.send("still there?");
        expect(await healthy.text()).toBe("still there?");
        const fresh = await ws.open("/ws/echo");
        fresh.socket.send("and new ones?");
        expect(await fresh.text()).toBe("and new ones?");
      }),
  },
  {
    id: "ws-backpressure",
    title: "stops queueing for a client that does not read: send() returns false, drain follows reading",
    timeout: 30_000,
    run: (t) =>
      withClients(t, async (ws) => {
        const id = t.newId();
        const raw = await ws.raw(`/ws/flood?id=${id}`);
        const record = await t.fixture.until(id, "accepted");
        expect(record.dropped, "the server queued every message for a client that reads nothing").toBe(true);
        expect(record.buffered as number).toBeLessThanOrEqual(MAX_BACKPRESSURE + FLOOD_MESSAGE_BYTES);
        raw.resume();
        expect((await t.fixture.until(id, "drained")).drained).toBe(true);
      }),
  },
  {
    id: "ws-hook-throws",
    title: "closes with 1011 when the message hook throws, logs one line, and keeps serving",
    run: (t) =>
      withClients(t, async (ws) => {
        const client = await ws.open("/ws/throw");
        client.socket.send("boom");
        expect((await client.closeEvent()).code).toBe(1011);
        expect(
          t.errorLog.some((line) => line.includes("/ws/throw") && line.includes("fixture WebSocket failure")),
        ).toBe(true);
        const echo = await ws.open("/ws/echo");
        echo.socket.send("alive");
        expect(await echo.text()).toBe("alive");
      }),
  },
  {
    id: "ws-close-graceful",
    title: "closes open WebSockets with 1001 at close(), after the reply to a message in flight",
    timeout: 30_000,
    async run(t) {
      const server = await t.startServer();
      await withClients(
        t,
        async (ws) => {
          const id = t.newId();
          const busy = await ws.open(`/ws/slow?id=${id}`);
          const idle = await ws.open("/ws/echo");
          busy.socket.send("work");
          await t.fixture.until(id, "started");
          const closing = server.close({ timeout: 20_000 });
          expect(await settlesWithin(busy.closed, 300), "the socket closed with a message in flight").toBe(
            false,
          );
          await t.fixture.release(id);
          expect(await busy.text()).toBe("done");
          expect(await busy.closeEvent()).toEqual({ code: 1001, reason: "Server is shutting down" });
          expect((await idle.closeEvent()).code).toBe(1001);
          await within(closing, 10_000, "close() did not resolve once the WebSockets closed");
        },
        server.port,
      );
    },
  },
]);
