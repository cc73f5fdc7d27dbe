import { type ClientHttp2Session, connect, type IncomingHttpHeaders } from "node:http2";
import { request as httpsRequest } from "node:https";
import type { RunningServer } from "@anyserver/core";
import { expect } from "vitest";
import { type CaseContext, defineCases } from "../case.ts";
import { selfSignedTls } from "../self-signed.ts";
import { settlesWithin, within } from "../wait.ts";

let tls: { key: Buffer; cert: Buffer } | undefined;

/** A fresh server of the adapter with `tls` and `http2` (the case's to close), and an HTTP/2 client session on it. */
async function http2Server(t: CaseContext): Promise<{ server: RunningServer; session: ClientHttp2Session }> {
  tls ??= selfSignedTls();
  const server = await t.startServer({ tls, http2: true });
  // The client buffers what it sends: room for three 4 MiB uploads at once (node's default is 10 MB).
  const session = connect(server.url, { ca: tls.cert, maxSessionMemory: 64 });
  session.on("error", () => {});
  // Closed with the case: a session left open would keep the server's close() waiting.
  t.onDispose(() => session.destroy());
  return { server, session };
}

/** One HTTP/2 request on `session`: the response head and the whole body. */
function h2(
  session: ClientHttp2Session,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ head: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const stream = session.request(headers, { endStream: body === undefined });
    const chunks: Buffer[] = [];
    let head: IncomingHttpHeaders = {};
    stream.on("response", (received) => (head = received));
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => resolve({ head, body: Buffer.concat(chunks) }));
    stream.on("error", reject);
    if (body !== undefined) stream.end(body);
  });
}

export const http2Cases = defineCases("http2", [
  {
    id: "h2-authority",
    title: "speaks HTTP/2 over TLS, the URL and Host taken from :authority",
    async run(t) {
      const { session } = await http2Server(t);
      const url = await h2(session, { ":path": "/url/where?x=1", ":authority": "app.example:8443" });
      expect(url.head[":status"]).toBe(200);
      expect(JSON.parse(url.body.toString()).url).toBe("https://app.example:8443/url/where?x=1");
      const host = await h2(session, { ":path": "/headers?names=host", ":authority": "app.example:8443" });
      expect(JSON.parse(host.body.toString()).get).toEqual({ host: "app.example:8443" });
    },
  },
  {
    id: "h2-http1",
    title: "speaks HTTP/1.1 on the same port to a client that does not offer HTTP/2",
    async run(t) {
      const { server } = await http2Server(t);
      const answer = await new Promise<{ version: string; body: string }>((resolve, reject) => {
        const req = httpsRequest(new URL("/url/one", server.url), { ca: tls!.cert, agent: false }, (res) => {
          let body = "";
          res.on("data", (chunk) => (body += chunk));
          res.on("end", () => resolve({ version: res.httpVersion, body }));
        });
        req.on("error", reject);
        req.end();
      });
      expect(answer.version).toBe("1.1");
      expect(JSON.parse(answer.body).url).toBe(`https://127.0.0.1:${server.port}/url/one`);
    },
  },
  {
    id: "h2-http1-only-parts",
    title: "drops the reason phrase and the connection headers HTTP/2 forbids, with no warning",
    async run(t) {
      const warnings: string[] = [];
      const logged = t.errorLog.length;
      const onWarning = (warning: Error) => warnings.push(warning.message);
      process.on("warning", onWarning);
      try {
        const { session } = await http2Server(t);
        const answer = await h2(session, { ":path": "/http1-only" });
        expect(answer.head[":status"]).toBe(201);
        expect(answer.head["x-kept"]).toBe("yes");
        expect(answer.head.connection).toBeUndefined();
        expect(answer.head["keep-alive"]).toBeUndefined();
        expect(answer.body.toString()).toBe("made");
        await new Promise((resolve) => setImmediate(resolve));
        expect(warnings).toEqual([]);
        expect(t.errorLog.slice(logged)).toEqual([]);
      } finally {
        process.off("warning", onWarning);
      }
    },
  },
  {
    id: "h2-request-body",
    title: "reads request bodies HTTP/2 frames without Content-Length, three 4 MiB on one session at once",
    timeout: 30_000,
    async run(t) {
      const { session } = await http2Server(t);
      const body = Buffer.alloc(4 * 1024 * 1024, 7);
      const answers = await Promise.all(
        [1, 2, 3].map(() => h2(session, { ":method": "POST", ":path": "/echo-stream" }, body)),
      );
      for (const answer of answers) {
        expect(answer.head[":status"]).toBe(200);
        expect(answer.body.equals(body)).toBe(true);
      }
      // Headers that end the stream: no body.
      const empty = await h2(session, { ":method": "POST", ":path": "/echo-stream" });
      expect([empty.head[":status"], empty.body.byteLength]).toEqual([200, 0]);
    },
  },
  {
    id: "h2-close-in-flight",
    title: "lets a stream in flight at close() finish, and tells the client to go away (GOAWAY)",
    async run(t) {
      const { server, session } = await http2Server(t);
      const goaway = new Promise((resolve) => session.once("goaway", resolve));
      const id = t.newId();
      const slow = h2(session, { ":path": `/slow?id=${id}` });
      await t.fixture.until(id, "started");
      const closing = server.close({ timeout: 20_000 });
      expect(await settlesWithin(closing, 200), "close() resolved with a stream in flight").toBe(false);
      await within(goaway, 5000, "the client was not sent GOAWAY");
      await t.fixture.release(id);
      const answer = await slow;
      expect(answer.head[":status"]).toBe(200);
      expect(answer.body.toString()).toBe("slow done");
      await within(closing, 10_000, "close() did not resolve once the last stream finished");
    },
  },
]);
