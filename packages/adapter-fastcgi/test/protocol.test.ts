import { createHash, randomBytes } from "node:crypto";
import type { RunningServer } from "@anyserver/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fastcgi from "../src/index.ts";
import { decodeParams } from "../src/params.ts";
import { GET_VALUES_RESULT, UNKNOWN_TYPE } from "../src/records.ts";
import { createTestApp, Gates } from "./_app.ts";
import { FcgiClient, parseCgi, requestParams } from "./_client.ts";

const gates = new Gates();
const { app, record } = createTestApp(gates);
const logged: string[] = [];
const logger = {
  info() {},
  warn: (line: string) => logged.push(line),
  error: (line: string) => logged.push(line),
};
let server: RunningServer;
const clients: FcgiClient[] = [];

async function open(): Promise<FcgiClient> {
  const client = await FcgiClient.open(server.port);
  clients.push(client);
  return client;
}

beforeAll(async () => {
  server = await fastcgi.serve(app, { host: "127.0.0.1", port: 0, logger });
});
afterAll(async () => {
  for (const client of clients) client.close();
  await server?.close({ timeout: 2000 });
});

describe("fastcgi adapter: the FastCGI protocol", () => {
  it("reports where it listens as fcgi://host:port", () => {
    expect(server.url.href).toBe(`fcgi://127.0.0.1:${server.port}/`);
    expect(server.adapter).toBe("fastcgi");
  });

  it("answers a request from its params and closes the connection without FCGI_KEEP_CONN", async () => {
    const client = await open();
    client.request(
      1,
      requestParams("POST", "/echo?x=1", { CONTENT_TYPE: "text/plain", CONTENT_LENGTH: "5" }),
      Buffer.from("hello"),
      false,
    );
    const response = await client.response(1);
    expect(response.protocolStatus).toBe(0);
    expect(response.appStatus).toBe(0);
    const { status, headers, body } = parseCgi(response.stdout);
    expect(status).toBe(200);
    expect(headers).toContainEqual(["content-type", "application/json"]);
    expect(JSON.parse(body.toString())).toMatchObject({
      method: "POST",
      url: "http://example.test/echo?x=1",
      body: "hello",
      headers: { "content-type": "text/plain", "content-length": "5" },
      remoteAddress: "192.0.2.7",
      remotePort: 51234,
      adapter: "fastcgi",
      requestId: 1,
    });
    await client.closedByServer();
  });

  it("answers many requests one after another on a kept connection", async () => {
    const client = await open();
    for (let id = 1; id <= 20; id++) {
      client.request(id % 3 === 0 ? 1 : 2, requestParams("GET", `/echo?n=${id}`));
      const response = await client.response(id % 3 === 0 ? 1 : 2);
      expect(JSON.parse(parseCgi(response.stdout).body.toString()).url).toBe(
        `http://example.test/echo?n=${id}`,
      );
      client.records.length = 0;
    }
    expect(client.closed).toBe(false);
  });

  it("multiplexes: a later request on the same connection finishes while an earlier one waits", async () => {
    const client = await open();
    client.request(7, requestParams("GET", "/slow?name=mux-7"));
    client.request(9, requestParams("GET", "/slow?name=mux-9"));
    gates.open("mux-9");
    const second = await client.response(9);
    expect(parseCgi(second.stdout).body.toString()).toBe("slow mux-9 done");
    expect(client.records.some((r) => r.requestId === 7)).toBe(false);
    gates.open("mux-7");
    expect(parseCgi((await client.response(7)).stdout).body.toString()).toBe("slow mux-7 done");
  });

  it("answers FCGI_GET_VALUES with the names it knows and FCGI_UNKNOWN_TYPE to other management records", async () => {
    const client = await open();
    client.getValues(["FCGI_MPXS_CONNS", "FCGI_SOMETHING_ELSE"]);
    const result = await client.until(
      () => client.records.find((r) => r.type === GET_VALUES_RESULT),
      "values",
    );
    expect(result.requestId).toBe(0);
    expect({ ...decodeParams(result.content) }).toEqual({ FCGI_MPXS_CONNS: "1" });
    client.send(Buffer.from([1, 42, 0, 0, 0, 0, 0, 0]));
    const unknown = await client.until(
      () => client.records.find((r) => r.type === UNKNOWN_TYPE),
      "unknown type",
    );
    expect(unknown.content[0]).toBe(42);
  });

  it("declines the Authorizer role with FCGI_UNKNOWN_ROLE and keeps the connection", async () => {
    const client = await open();
    client.begin(3, { role: 2, keepConn: true });
    expect((await client.response(3)).protocolStatus).toBe(3);
    client.request(4, requestParams("GET", "/echo"));
    expect(parseCgi((await client.response(4)).stdout).status).toBe(200);
  });

  it("aborts request.signal on FCGI_ABORT_REQUEST and ends the request", async () => {
    const client = await open();
    client.request(5, requestParams("GET", "/hold?name=abort-record"));
    await client.until(
      () => (client.stdoutSoFar(5).includes("first\n") ? true : undefined),
      "the first line",
    );
    client.abort(5);
    const response = await client.response(5);
    expect(response.protocolStatus).toBe(0);
    expect(record.aborted.get("abort-record")).toBe("AbortError");
    // The connection is still good for the next request.
    client.request(6, requestParams("GET", "/echo"));
    expect(parseCgi((await client.response(6)).stdout).status).toBe(200);
  });

  it("aborts request.signal when the web server closes the connection", async () => {
    const client = await open();
    client.request(1, requestParams("GET", "/hold?name=abort-close"));
    await client.until(
      () => (client.stdoutSoFar(1).includes("first\n") ? true : undefined),
      "the first line",
    );
    client.close();
    for (let i = 0; i < 200 && !record.aborted.has("abort-close"); i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(record.aborted.get("abort-close")).toBe("AbortError");
  });

  it("streams a 10 MiB FCGI_STDIN with back-pressure: reading pauses while the app does not read", async () => {
    const client = await open();
    const upload = randomBytes(10 * 1024 * 1024);
    client.begin(1, { keepConn: true });
    client.params(1, requestParams("POST", "/upload", { CONTENT_LENGTH: String(upload.length) }));
    client.stdin(1, upload);
    const { body } = parseCgi((await client.response(1)).stdout);
    expect(JSON.parse(body.toString())).toEqual({
      bytes: upload.length,
      sha256: createHash("sha256").update(upload).digest("hex"),
    });
    expect(record.pausedDuringUpload).toBe(true);
  });

  it("streams FCGI_STDOUT with back-pressure: a client that does not read holds the app's stream", async () => {
    const client = await open();
    client.socket.pause();
    const size = 32 * 1024 * 1024;
    client.request(1, requestParams("GET", `/download?size=${size}`));
    // Wait until the responder's socket is full (the app then waits for drain), then read everything.
    for (let i = 0; i < 400; i++) {
      const [socket] = [...record.sockets].slice(-1) as import("node:net").Socket[];
      if (socket?.writableNeedDrain) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    client.socket.resume();
    const { body } = parseCgi((await client.response(1)).stdout);
    expect(body.length).toBe(size);
    expect(record.maxQueuedBytes).toBeLessThan(1024 * 1024);
  });

  it("splits a 1 MiB body into 64 KiB records", async () => {
    const client = await open();
    client.request(1, requestParams("GET", `/big?size=${1024 * 1024}`));
    const { body, headers } = parseCgi((await client.response(1)).stdout);
    expect(headers).toContainEqual(["content-length", String(1024 * 1024)]);
    expect(body.length).toBe(1024 * 1024);
    expect(body.every((byte) => byte === 98)).toBe(true);
  });

  it("answers 500 when the app throws, logs one line, and keeps the connection", async () => {
    const client = await open();
    const before = logged.length;
    client.request(1, requestParams("GET", "/throw"));
    const { status, body } = parseCgi((await client.response(1)).stdout);
    expect(status).toBe(500);
    expect(body.toString()).toBe("Internal Server Error");
    expect(logged.slice(before)).toEqual([
      expect.stringMatching(/^GET \/throw failed: Error: the app failed \(at test\/_app\.ts:\d+:\d+\)$/),
    ]);
    client.request(2, requestParams("GET", "/echo"));
    expect(parseCgi((await client.response(2)).stdout).status).toBe(200);
  });

  it("cuts the connection without FCGI_END_REQUEST when the body fails after the head went out", async () => {
    const client = await open();
    const before = logged.length;
    client.request(1, requestParams("GET", "/broken-stream"));
    await client.closedByServer();
    expect(client.stdoutSoFar(1).toString()).toContain("partial");
    expect(client.records.some((r) => r.type === 3)).toBe(false);
    expect(logged.slice(before)).toEqual([
      "GET /broken-stream failed: the response body failed after the head was sent: the stream broke",
    ]);
  });

  it("ignores records of requests that are not active", async () => {
    const client = await open();
    client.stdin(99, Buffer.from("stray"));
    client.request(1, requestParams("GET", "/echo"));
    expect(parseCgi((await client.response(1)).stdout).status).toBe(200);
  });
});

describe("fastcgi adapter: bodyLimit", () => {
  it("answers 413 to a body over the limit, declared or streamed, and the connection stays usable", async () => {
    const counting = async (request: Request) => {
      let bytes = 0;
      const reader = request.body!.getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
        bytes += chunk.value.length;
      return new Response(String(bytes));
    };
    const limited = await fastcgi.serve(counting, { host: "127.0.0.1", port: 0, bodyLimit: 1024, logger });
    const client = await FcgiClient.open(limited.port);
    try {
      client.request(1, requestParams("POST", "/", { CONTENT_LENGTH: "4096" }), Buffer.alloc(4096));
      expect(parseCgi((await client.response(1)).stdout).status).toBe(413);
      client.request(
        2,
        requestParams("POST", "/", { HTTP_TRANSFER_ENCODING: "chunked" }),
        Buffer.alloc(4096),
      );
      expect(parseCgi((await client.response(2)).stdout).status).toBe(413);
      client.request(3, requestParams("POST", "/", { CONTENT_LENGTH: "10" }), Buffer.alloc(10));
      const { status, body } = parseCgi((await client.response(3)).stdout);
      expect([status, body.toString()]).toEqual([200, "10"]);
    } finally {
      client.close();
      await limited.close({ timeout: 1000 });
    }
  });
});
