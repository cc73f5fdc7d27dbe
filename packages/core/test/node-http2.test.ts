import { type ClientHttp2Session, connect, type IncomingHttpHeaders } from "node:http2";
import { request } from "node:https";
import { selfSignedTls } from "@anyserver/adapter-test-suite";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type App, type RunningServer, serve, type TlsOptions } from "../src/index.ts";
import { closeAll, startNode } from "./_node.ts";

let tls: TlsOptions;
const sessions: ClientHttp2Session[] = [];

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

function open(server: RunningServer): ClientHttp2Session {
  // The client buffers what it sends: room for the 3 × 4 MiB uploads below (node's default is 10 MB).
  const session = connect(server.url, { ca: tls.cert, maxSessionMemory: 64 });
  session.on("error", () => {});
  sessions.push(session);
  return session;
}

const echo: App = async (request) => {
  const url = new URL(request.url);
  if (url.pathname === "/echo") return new Response(await request.arrayBuffer());
  if (url.pathname === "/slow") {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return new Response("slow, but answered");
  }
  if (url.pathname === "/http1-only")
    return new Response("made", {
      status: 201,
      statusText: "Made Here",
      headers: { connection: "close", "keep-alive": "timeout=5", "x-kept": "yes" },
    });
  return Response.json({ url: request.url, host: request.headers.get("host") });
};

describe("node adapter with http2 (--http2)", () => {
  beforeAll(() => {
    tls = selfSignedTls();
  });
  afterEach(async () => {
    for (const session of sessions.splice(0)) session.destroy();
    await closeAll();
  });

  it("speaks HTTP/2 to a client that offers it, the URL and Host taken from :authority", async () => {
    const server = await startNode(echo, { tls, http2: true });
    const session = open(server);
    const answer = await h2(session, { ":path": "/where?x=1", ":authority": "app.example:8443" });
    expect(answer.head[":status"]).toBe(200);
    expect(JSON.parse(answer.body.toString())).toEqual({
      url: "https://app.example:8443/where?x=1",
      host: "app.example:8443",
    });
  });

  it("speaks HTTP/1.1 over the same port to a client that does not offer HTTP/2", async () => {
    const server = await startNode(echo, { tls, http2: true });
    const answer = await new Promise<{ version: string; body: string }>((resolve, reject) => {
      const req = request(new URL("/one", server.url), { ca: tls.cert }, (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ version: res.httpVersion, body }));
      });
      req.on("error", reject);
      req.end();
    });
    expect(answer.version).toBe("1.1");
    expect(JSON.parse(answer.body).url).toBe(`https://127.0.0.1:${server.port}/one`);
  });

  it("drops the reason phrase and the connection headers HTTP/2 forbids, with no warning", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on("warning", onWarning);
    try {
      const server = await startNode(echo, { tls, http2: true });
      const answer = await h2(open(server), { ":path": "/http1-only" });
      expect(answer.head[":status"]).toBe(201);
      expect(answer.head["x-kept"]).toBe("yes");
      expect(answer.head.connection).toBeUndefined();
      expect(answer.head["keep-alive"]).toBeUndefined();
      expect(answer.body.toString()).toBe("made");
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("reads a body HTTP/2 frames without Content-Length, 4 MiB on three streams of one session at once", async () => {
    const server = await startNode(echo, { tls, http2: true });
    const session = open(server);
    const body = Buffer.alloc(4 * 1024 * 1024, 7);
    const answers = await Promise.all(
      [1, 2, 3].map(() => h2(session, { ":method": "POST", ":path": "/echo" }, body)),
    );
    for (const answer of answers) {
      expect(answer.head[":status"]).toBe(200);
      expect(answer.body.equals(body)).toBe(true);
    }
    // Headers that end the stream: no body.
    const empty = await h2(session, { ":method": "POST", ":path": "/echo" });
    expect([empty.head[":status"], empty.body.byteLength]).toEqual([200, 0]);
  });

  it("finishes a stream in flight on close(), and tells the client to go away (GOAWAY)", async () => {
    const server = await startNode(echo, { tls, http2: true });
    const session = open(server);
    const goaway = new Promise((resolve) => session.once("goaway", resolve));
    const slow = h2(session, { ":path": "/slow" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = server.close({ timeout: 5000 });
    const answer = await slow;
    expect(answer.head[":status"]).toBe(200);
    expect(answer.body.toString()).toBe("slow, but answered");
    await goaway;
    await closed;
  });

  it("refuses http2 without TLS, and on a server that does not serve it, in one line", async () => {
    await expect(serve(echo, { port: 0, http2: true })).rejects.toThrow(
      "HTTP/2 needs TLS (browsers speak it only over HTTPS): add --tls-cert FILE and --tls-key FILE.",
    );
    const plain = { name: "plain", serve: () => Promise.reject(new Error("not reached")) };
    await expect(serve(echo, { server: plain, port: 0, tls, http2: true })).rejects.toThrow(
      'Server "plain" does not serve HTTP/2 through anyserver. Drop --http2, or use -s node.',
    );
  });
});
