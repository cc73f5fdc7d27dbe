import { describe, expect, it } from "vitest";
import { adapterPath, requireBuilt, SERVERS } from "../supervisor/_fleet.ts";
import {
  lines,
  metricSum,
  parseCombined,
  rawRequest,
  read,
  type Serving,
  serve,
  waitForFile,
} from "./_observe.ts";

/** Every server -l can watch: through core's node bridge (express, koa) and uWS bridge (hyper-express) too. */
const OBSERVED = {
  ...SERVERS,
  express: adapterPath("adapter-express"),
  koa: adapterPath("adapter-koa"),
  "hyper-express": adapterPath("adapter-hyper-express"),
};

/** Once the access log mentions `text`: stop the server (exit 0) and read its one JSON line. */
async function onlyJsonLine(served: Serving, text: string): Promise<Record<string, unknown>> {
  await waitForFile(served.dir, "access.jsonl", text);
  expect((await served.stop()).code).toBe(0);
  const logged = lines(read(served.dir, "access.jsonl")).map((line) => JSON.parse(line));
  expect(logged).toHaveLength(1);
  return logged[0];
}

// One implementation in core for every adapter: the same log lines and totals whatever the server.
describe.each(Object.entries(OBSERVED))("observing on %s", (name, server) => {
  it("logs one combined line per request and counts them in the metrics", async () => {
    requireBuilt(server);
    const served = await serve(["-s", server, "-l", "access.log", "--metrics"]);
    try {
      const paths = ["/one", "/missing", "/stream?chunks=5", "/fail"];
      for (const path of paths) {
        await (await fetch(new URL(path, served.url), { headers: { "user-agent": `ua "${name}"` } })).text();
      }
      const metrics = await (await fetch(new URL("/metrics", served.url))).text();
      expect(metricSum(metrics, "http_requests_total")).toBe(paths.length);
      expect(metrics).toContain('http_requests_total{method="GET",status="500"} 1');
      expect((await served.stop()).code).toBe(0);
      const logged = lines(read(served.dir, "access.log")).map(parseCombined);
      expect(logged.map((line) => [line.request, line.status, line.bytes])).toEqual([
        ["GET /one HTTP/1.1", 200, "15"],
        ["GET /missing HTTP/1.1", 404, "8"],
        ["GET /stream?chunks=5 HTTP/1.1", 200, "50"],
        ["GET /fail HTTP/1.1", 500, "-"],
        ["GET /metrics HTTP/1.1", 200, expect.stringMatching(/^\d+$/)],
      ]);
      for (const line of logged.slice(0, paths.length)) {
        expect(line.remote).toBe("127.0.0.1");
        expect(line.userAgent).toBe(`ua \\"${name}\\"`);
      }
    } finally {
      await served.stop();
    }
  });

  it("logs and counts a body past --body-limit as the 413 the client got, whoever refused it", async () => {
    requireBuilt(server);
    const served = await serve(["-s", server, "-l", "access.log", "--metrics", "--body-limit", "10"]);
    try {
      const refused = await fetch(new URL("/echo", served.url), { method: "POST", body: "x".repeat(100) });
      expect(refused.status).toBe(413);
      await refused.text();
      const metrics = await (await fetch(new URL("/metrics", served.url))).text();
      expect(metrics).toContain('http_requests_total{method="POST",status="413"} 1');
      // Refused or answered, the request is over: nothing stays (or goes below zero) in flight.
      expect(metricSum(metrics, "http_requests_in_flight")).toBe(0);
      expect((await served.stop()).code).toBe(0);
      const logged = lines(read(served.dir, "access.log")).map(parseCombined);
      expect(logged.map((line) => [line.request, line.status, line.remote])).toEqual([
        ["POST /echo HTTP/1.1", 413, "127.0.0.1"],
        ["GET /metrics HTTP/1.1", 200, "127.0.0.1"],
      ]);
    } finally {
      await served.stop();
    }
  });

  it("logs a streamed response the client abandoned, with the bytes sent until then", async () => {
    requireBuilt(server);
    const served = await serve(["-s", server, "-l", "access.jsonl", "--log-format", "json"]);
    try {
      const controller = new AbortController();
      // 100 MB in 10-byte chunks: far more than the socket buffers hold before the client leaves.
      const response = await fetch(new URL("/stream?chunks=10000000", served.url), {
        signal: controller.signal,
      });
      await response.body!.getReader().read();
      controller.abort();
      const line = await onlyJsonLine(served, "/stream");
      expect(line).toMatchObject({ url: "/stream?chunks=10000000", status: 200, aborted: true });
      expect(line.bytes).toBeGreaterThan(0);
      expect(line.bytes).toBeLessThan(100_000_000);
    } finally {
      await served.stop();
    }
  });

  it("logs a streamed response whose client left before the app answered", async () => {
    requireBuilt(server);
    const served = await serve(["-s", server, "-l", "access.jsonl", "--log-format", "json"]);
    try {
      const controller = new AbortController();
      const abandoned = fetch(new URL("/late-stream?ms=300", served.url), { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await expect(abandoned).rejects.toThrow();
      const line = await onlyJsonLine(served, "/late-stream");
      expect(line).toMatchObject({ url: "/late-stream?ms=300", status: 200, bytes: 0, aborted: true });
    } finally {
      await served.stop();
    }
  });
});

/** The servers whose node:http parser refusals core answers itself (fastify answers its own, below). */
const NODE_PARSED = { node: "node", express: OBSERVED.express, koa: OBSERVED.koa };

describe.each(Object.entries(NODE_PARSED))("requests node:http refuses on %s", (_name, server) => {
  it("are answered as node answers them, logged and counted, and the server goes on", async () => {
    requireBuilt(server);
    const served = await serve(["-s", server, "-l", "access.log", "--metrics"]);
    try {
      const malformed = await rawRequest(
        served.url,
        "GET /bad?x=1 HTTP/1.1\r\nHost: localhost\r\nNo colon\r\n\r\n",
      );
      expect(malformed).toBe("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
      // Past node's 16 KiB of headers: whole in one read, so the refusal is not a reset.
      const big = `GET /big HTTP/1.1\r\nHost: localhost\r\nX-Big: ${"a".repeat(17_000)}\r\n\r\n`;
      expect(await rawRequest(served.url, big)).toBe(
        "HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n",
      );
      // TLS spoken to a plain port: no request line to log.
      const junk = await rawRequest(served.url, "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n");
      expect(junk).toBe("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
      const metrics = await (await fetch(new URL("/metrics", served.url))).text();
      expect(metrics).toContain('http_requests_total{method="GET",status="400"} 1');
      expect(metrics).toContain('http_requests_total{method="GET",status="431"} 1');
      expect(metrics).toContain('http_requests_total{method="OTHER",status="400"} 1');
      expect(metricSum(metrics, "http_requests_in_flight")).toBe(0);
      expect((await served.stop()).code).toBe(0);
      const logged = lines(read(served.dir, "access.log")).map(parseCombined);
      expect(logged.map((line) => [line.request, line.status, line.bytes, line.remote])).toEqual([
        ["GET /bad?x=1 HTTP/1.1", 400, "-", "127.0.0.1"],
        ["GET /big HTTP/1.1", 431, "-", "127.0.0.1"],
        ["-", 400, "-", "127.0.0.1"],
        ["GET /metrics HTTP/1.1", 200, expect.stringMatching(/^\d+$/), "127.0.0.1"],
      ]);
    } finally {
      await served.stop();
    }
  });
});

describe("requests node:http refuses on fastify", () => {
  it("keep fastify's own answer, written once, logged and counted with its status and bytes", async () => {
    requireBuilt(SERVERS.fastify);
    const served = await serve(["-s", SERVERS.fastify, "-l", "access.log", "--metrics"]);
    try {
      const malformed = await rawRequest(
        served.url,
        "GET /bad HTTP/1.1\r\nHost: localhost\r\nNo colon\r\n\r\n",
      );
      const body = '{"error":"Bad Request","message":"Client Error","statusCode":400}';
      expect(malformed).toBe(
        `HTTP/1.1 400 Bad Request\r\nContent-Length: ${body.length}\r\nContent-Type: application/json\r\n\r\n${body}`,
      );
      const metrics = await (await fetch(new URL("/metrics", served.url))).text();
      expect(metrics).toContain('http_requests_total{method="GET",status="400"} 1');
      expect(metricSum(metrics, "http_requests_in_flight")).toBe(0);
      expect((await served.stop()).code).toBe(0);
      const logged = lines(read(served.dir, "access.log")).map(parseCombined);
      expect(logged.map((line) => [line.request, line.status, line.bytes])).toEqual([
        ["GET /bad HTTP/1.1", 400, String(body.length)],
        ["GET /metrics HTTP/1.1", 200, expect.stringMatching(/^\d+$/)],
      ]);
    } finally {
      await served.stop();
    }
  });
});
