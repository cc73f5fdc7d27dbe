import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "vitest";
import { type CaseContext, defineCases } from "../case.ts";
import { SSE_EVENTS } from "../fixture/streams.ts";
import { header } from "../raw-http.ts";
import { settlesWithin, within } from "../wait.ts";

/** Whether connecting to `port` is refused, retried for a while: close() may stop the listener a tick later. */
async function refusesConnections(port: number): Promise<boolean> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(false);
      });
      socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
    });
    if (refused) return true;
    await sleep(100);
  }
  return false;
}

/** A fresh server (the case closes it) and a raw keep-alive connection with `GET path?id=…` sent on it. */
async function keepAliveRequest(t: CaseContext, path: string) {
  const server = await t.startServer();
  const id = t.newId();
  const connection = await t.raw(server.port);
  connection.write(t.request("GET", `${path}?id=${id}`));
  return { server, id, connection };
}

const open = (server: { url: URL }, path: string) =>
  fetch(new URL(path, server.url), { signal: AbortSignal.timeout(20_000) });

export const gracefulCases = defineCases("graceful close", [
  {
    id: "close-in-flight",
    title: "lets a request in flight at close() finish with 200 before close resolves",
    async run(t) {
      const server = await t.startServer();
      const id = t.newId();
      const slow = open(server, `/slow?id=${id}`);
      await t.fixture.until(id, "started");
      const closing = server.close({ timeout: 20_000 });
      expect(await settlesWithin(closing, 200), "close() resolved with a request in flight").toBe(false);
      await t.fixture.release(id);
      const response = await slow;
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("slow done");
      await within(closing, 10_000, "close() did not resolve once the last request finished");
    },
  },
  {
    id: "close-refuses-new",
    title: "refuses new connections after close() while a request is still in flight",
    async run(t) {
      const server = await t.startServer();
      const id = t.newId();
      const slow = open(server, `/slow?id=${id}`);
      await t.fixture.until(id, "started");
      const closing = server.close({ timeout: 20_000 });
      expect(await refusesConnections(server.port), "new connections were still accepted").toBe(true);
      await t.fixture.release(id);
      expect((await slow).status).toBe(200);
      await within(closing, 10_000, "close() did not resolve once the last request finished");
    },
  },
  {
    id: "close-waits-wait-until",
    title: "waits for context.waitUntil work before close resolves",
    async run(t) {
      const server = await t.startServer();
      const id = t.newId();
      expect(await (await open(server, `/wait-until?id=${id}`)).text()).toBe("scheduled");
      const closing = server.close({ timeout: 20_000 });
      expect(await settlesWithin(closing, 300), "close() resolved before waitUntil work finished").toBe(
        false,
      );
      await t.fixture.release(id);
      await within(closing, 10_000, "close() did not resolve once the waitUntil work finished");
      expect((await t.fixture.state(id)).waitUntilDone).toBe(true);
    },
  },
  {
    id: "close-in-flight-keepalive",
    title:
      "answers a keep-alive request in flight at close() with Connection: close, then closes its connection",
    async run(t) {
      const { server, id, connection } = await keepAliveRequest(t, "/slow");
      await t.fixture.until(id, "started");
      const closing = server.close({ timeout: 20_000 });
      await t.fixture.release(id);
      const response = await connection.response();
      expect(response.status).toBe(200);
      expect(response.body.toString()).toBe("slow done");
      expect(header(response, "connection")?.toLowerCase()).toBe("close");
      await connection.closed(5000);
      await within(closing, 10_000, "close() did not resolve once the last request finished");
    },
  },
  {
    id: "close-streaming-keepalive",
    title: "finishes a response already streaming at close(), then closes its keep-alive connection",
    async run(t) {
      const { server, id, connection } = await keepAliveRequest(t, "/sse");
      // The head and the first event went out before close(): the connection was promised to stay open.
      await connection.received(1);
      const closing = server.close({ timeout: 20_000 });
      expect(await settlesWithin(closing, 300), "close() resolved with a response still streaming").toBe(
        false,
      );
      await t.fixture.release(id);
      const response = await connection.response();
      expect(response.status).toBe(200);
      expect(response.body.toString()).toBe(SSE_EVENTS.join(""));
      await connection.closed(5000);
      await within(closing, 10_000, "close() did not resolve once the streamed response ended");
    },
  },
  {
    id: "close-idle-keepalive",
    title: "closes idle keep-alive connections at close() instead of waiting for the timeout",
    async run(t) {
      const server = await t.startServer();
      const connection = await t.raw(server.port);
      connection.write(t.request("GET", "/"));
      expect((await connection.response()).status).toBe(200);
      // Well under node:http's own 5 s keep-alive timeout, which would close it anyway.
      await within(
        server.close({ timeout: 60_000 }),
        3000,
        "close() waited on an idle keep-alive connection",
      );
      await connection.closed(3000);
    },
  },
  {
    id: "close-force-after-timeout",
    title: "forces a stuck request's connection closed once close()'s timeout passes",
    async run(t) {
      const { server, id, connection } = await keepAliveRequest(t, "/slow");
      await t.fixture.until(id, "started");
      await within(server.close({ timeout: 300 }), 10_000, "close({ timeout: 300 }) did not resolve");
      await connection.closed(5000);
      await t.fixture.release(id);
    },
  },
]);
