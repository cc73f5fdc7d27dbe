import type { RunningServer } from "@anyserver/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fastcgi from "../src/index.ts";
import { encodeParams } from "../src/params.ts";
import { BEGIN_REQUEST, encodeRecord, PARAMS, recordHeader, STDIN } from "../src/records.ts";
import { createTestApp, Gates } from "./_app.ts";
import { FcgiClient, parseCgi, requestParams } from "./_client.ts";

const { app } = createTestApp(new Gates());
const logged: string[] = [];
const logger = {
  info() {},
  warn: (line: string) => logged.push(line),
  error: (line: string) => logged.push(line),
};
let server: RunningServer;

beforeAll(async () => {
  server = await fastcgi.serve(app, { host: "127.0.0.1", port: 0, logger });
});
afterAll(() => server?.close({ timeout: 2000 }));

/** A seeded generator (mulberry32), so a failing input can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function begin(id: number): Buffer {
  return encodeRecord(BEGIN_REQUEST, id, Buffer.from([0, 1, 1, 0, 0, 0, 0, 0]));
}

/** Send `bytes`, half-close, and wait until the server has closed the connection too. */
async function throwAt(bytes: Buffer): Promise<void> {
  const client = await FcgiClient.open(server.port);
  client.send(bytes);
  client.socket.end();
  await client.closedByServer();
}

/** The server still answers a well-formed request on a fresh connection. */
async function stillServing(): Promise<void> {
  const client = await FcgiClient.open(server.port);
  try {
    client.request(1, requestParams("GET", "/echo?alive=1"));
    const { status, body } = parseCgi((await client.response(1)).stdout);
    expect(status).toBe(200);
    expect(JSON.parse(body.toString()).url).toBe("http://example.test/echo?alive=1");
  } finally {
    client.close();
  }
}

describe("fastcgi adapter: malformed and truncated records", () => {
  const cases: [string, Buffer, string | undefined][] = [
    [
      "a bad version",
      Buffer.from([2, 1, 0, 1, 0, 8, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]),
      "unsupported FastCGI version 2 (expected 1)",
    ],
    [
      "an HTTP request sent to the FastCGI port",
      Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
      "unsupported FastCGI version 71 (expected 1)",
    ],
    [
      "FCGI_BEGIN_REQUEST with the wrong length",
      encodeRecord(BEGIN_REQUEST, 1, Buffer.alloc(3)),
      "FCGI_BEGIN_REQUEST carries 3 bytes instead of 8",
    ],
    [
      "a request id that begins twice",
      Buffer.concat([begin(1), begin(1)]),
      "request 1 began while still active",
    ],
    [
      "a record type only applications send",
      encodeRecord(6, 1, Buffer.from("x")),
      "record type 6 does not go from a web server to an application",
    ],
    [
      "FCGI_STDIN before the params ended",
      Buffer.concat([begin(1), encodeRecord(STDIN, 1, Buffer.from("x"))]),
      "request 1 sent FCGI_STDIN before the end of its FCGI_PARAMS",
    ],
    [
      "a name-value pair claiming a 2 GiB value",
      Buffer.concat([
        begin(1),
        encodeRecord(PARAMS, 1, Buffer.from([4, 0xff, 0xff, 0xff, 0xff, 65, 66, 67, 68])),
        encodeRecord(PARAMS, 1),
      ]),
      "a name-value pair is longer than the params sent",
    ],
    [
      "a name-value pair cut off in its 4-byte length",
      Buffer.concat([begin(1), encodeRecord(PARAMS, 1, Buffer.from([0x80, 0])), encodeRecord(PARAMS, 1)]),
      "a name-value pair is cut off in its length",
    ],
    [
      "more than 1 MiB of params",
      Buffer.concat([
        begin(1),
        ...Array.from({ length: 17 }, () => encodeRecord(PARAMS, 1, Buffer.alloc(65535, 0x41))),
      ]),
      "request 1 sent more than 1 MiB of FCGI_PARAMS",
    ],
    ["a truncated header", Buffer.from([1, 1, 0]), "FastCGI connection closed in the middle of a record"],
    [
      "a header promising 65535 bytes that never come",
      recordHeader(BEGIN_REQUEST, 1, 65535),
      "FastCGI connection closed in the middle of a record",
    ],
  ];

  for (const [what, bytes, line] of cases) {
    it(`closes the connection on ${what}, logs one line, and keeps serving`, async () => {
      const before = logged.length;
      await throwAt(bytes);
      await stillServing();
      const lines = logged.slice(before);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(line);
    });
  }

  it("serves a request whose REQUEST_URI no URL can hold as / and keeps serving", async () => {
    const client = await FcgiClient.open(server.port);
    try {
      client.request(1, { ...requestParams("GET", "/echo"), REQUEST_URI: "http://[bad" });
      const { status } = parseCgi((await client.response(1)).stdout);
      expect(status).toBe(404);
    } finally {
      client.close();
    }
    await stillServing();
  });

  it("survives 300 random byte strings and random mutations of a valid request", async () => {
    const next = random(20_261_124);
    const valid = Buffer.concat([
      begin(1),
      encodeRecord(PARAMS, 1, encodeParams(requestParams("POST", "/echo", { CONTENT_LENGTH: "3" }))),
      encodeRecord(PARAMS, 1),
      encodeRecord(STDIN, 1, Buffer.from("abc")),
      encodeRecord(STDIN, 1),
    ]);
    for (let round = 0; round < 300; round++) {
      let bytes: Buffer;
      if (round % 2 === 0) {
        bytes = Buffer.from(
          Array.from({ length: 1 + Math.floor(next() * 300) }, () => Math.floor(next() * 256)),
        );
        // Half of the random inputs start like a real record, to get past the version check.
        if (round % 4 === 0) bytes[0] = 1;
      } else {
        bytes = Buffer.from(valid);
        for (let flips = 1 + Math.floor(next() * 4); flips > 0; flips--) {
          bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
        }
        bytes = bytes.subarray(0, Math.floor(next() * bytes.length) + 1);
      }
      await throwAt(bytes);
    }
    await stillServing();
  });
});
