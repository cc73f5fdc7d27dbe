import { existsSync, renameSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lines, parseCombined, rawRequest, read, serve, waitFor, waitForFile } from "./_observe.ts";

describe("access log (-l)", () => {
  it("writes exactly one well-formed combined line per request to FILE", async () => {
    const served = await serve(["-l", "access.log"]);
    try {
      const paths = ["/a", "/b?x=1", "/missing", "/fail", "/stream?chunks=4"];
      for (const path of paths) {
        await (
          await fetch(new URL(path, served.url), {
            headers: { "user-agent": "observe-test/1", referer: "http://ref.example/" },
          })
        ).text();
      }
      expect((await served.stop()).code).toBe(0);
      const logged = lines(read(served.dir, "access.log")).map(parseCombined);
      expect(logged.map((line) => line.request)).toEqual(paths.map((path) => `GET ${path} HTTP/1.1`));
      expect(logged.map((line) => line.status)).toEqual([200, 200, 404, 500, 200]);
      expect(logged.map((line) => line.bytes)).toEqual(["13", "13", "8", "-", "40"]);
      for (const line of logged) {
        expect(line.remote).toBe("127.0.0.1");
        expect(line.referer).toBe("http://ref.example/");
        expect(line.userAgent).toBe("observe-test/1");
        expect(line.pid).toBe(served.child.pid);
        expect(line.seconds).toBeGreaterThanOrEqual(0);
      }
    } finally {
      await served.stop();
    }
  });

  it("logs a body past --body-limit with the 413 the client got, declared or chunked", async () => {
    const served = await serve(["-l", "access.log", "--body-limit", "10"]);
    try {
      const post = (body: BodyInit) =>
        fetch(new URL("/echo", served.url), { method: "POST", body, duplex: "half" } as RequestInit);
      const chunked = new ReadableStream({
        pull(controller) {
          controller.enqueue(new TextEncoder().encode("0123456789012345"));
          controller.close();
        },
      });
      expect((await post("01234567890123456789")).status).toBe(413);
      expect((await post(chunked)).status).toBe(413);
      const fits = await post("0123456789");
      expect([fits.status, await fits.text()]).toEqual([200, "0123456789"]);
      expect((await served.stop()).code).toBe(0);
      const logged = lines(read(served.dir, "access.log")).map(parseCombined);
      expect(logged.map((line) => `${line.request} ${line.status}`)).toEqual([
        "POST /echo HTTP/1.1 413",
        "POST /echo HTTP/1.1 413",
        "POST /echo HTTP/1.1 200",
      ]);
    } finally {
      await served.stop();
    }
  });

  it("logs a request the server refused before the app (a Host no URL can hold) with its 400", async () => {
    const served = await serve(["-l", "access.log"]);
    try {
      const answer = await rawRequest(
        served.url,
        "GET /look?x=1 HTTP/1.1\r\nHost: bad host\r\nUser-Agent: scanner/1\r\nConnection: close\r\n\r\n",
      );
      expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect((await served.stop()).code).toBe(0);
      const [line, ...more] = lines(read(served.dir, "access.log")).map(parseCombined);
      expect(more).toEqual([]);
      expect([line.request, line.status, line.bytes, line.remote, line.userAgent]).toEqual([
        "GET /look?x=1 HTTP/1.1",
        400,
        "11",
        "127.0.0.1",
        "scanner/1",
      ]);
    } finally {
      await served.stop();
    }
  });

  it("writes common lines to stdout with -l and no FILE", async () => {
    const served = await serve(["-l", "--log-format", "common"]);
    try {
      for (let i = 0; i < 3; i++) await (await fetch(new URL(`/n${i}`, served.url))).text();
      const result = await served.stop();
      const logged = lines(result.stdout);
      expect(logged).toHaveLength(3);
      logged.forEach((line, i) => {
        expect(line).toMatch(
          new RegExp(String.raw`^127\.0\.0\.1 - - \[[^\]]+\] "GET /n${i} HTTP/1\.1" 200 14$`),
        );
      });
    } finally {
      await served.stop();
    }
  });

  it("writes JSON lines that parse, with quotes, backslashes and control characters in the user-agent", async () => {
    // node:http refuses control characters in headers unless its lenient parser is on, as some deployments run it.
    const served = await serve(["-l", "access.jsonl", "--log-format", "json"], {
      NODE_OPTIONS: "--insecure-http-parser",
    });
    try {
      const agent = 'evil "agent" \\ with\ttab and \x01 control';
      const answer = await rawRequest(
        served.url,
        `GET /json?q="x" HTTP/1.1\r\nHost: localhost\r\nUser-Agent: ${agent}\r\nConnection: close\r\n\r\n`,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
      // A bare newline inside a header never reaches the app: the parser answers 400, logged, and the server goes on.
      const broken = await rawRequest(
        served.url,
        "GET /x HTTP/1.1\r\nHost: localhost\r\nUser-Agent: a\nb\r\n\r\n",
      );
      expect(broken).toMatch(/^HTTP\/1\.1 400/);
      expect((await fetch(new URL("/after", served.url))).status).toBe(200);
      await served.stop();
      const logged = lines(read(served.dir, "access.jsonl")).map((line) => JSON.parse(line));
      expect(logged).toHaveLength(3);
      expect(logged[0]).toMatchObject({
        level: "info",
        pid: served.child.pid,
        type: "access",
        remote: "127.0.0.1",
        method: "GET",
        url: '/json?q="x"',
        protocol: "HTTP/1.1",
        status: 200,
        bytes: 16,
        userAgent: agent,
        referer: null,
        aborted: false,
      });
      expect(typeof logged[0].durationMs).toBe("number");
      expect(new Date(logged[0].time).getTime()).toBeGreaterThan(0);
      expect(logged[1]).toMatchObject({
        method: "GET",
        url: "/x",
        protocol: "HTTP/1.1",
        status: 400,
        bytes: 0,
        userAgent: null,
        msg: "GET /x 400",
      });
      expect(logged[2]).toMatchObject({ url: "/after", status: 200 });
    } finally {
      await served.stop();
    }
  });

  it("escapes quotes and control characters in combined lines, so each stays one parseable line", async () => {
    const served = await serve(["-l", "access.log"], { NODE_OPTIONS: "--insecure-http-parser" });
    try {
      await rawRequest(
        served.url,
        'GET /q HTTP/1.1\r\nHost: localhost\r\nUser-Agent: a "quoted" \\ \x01 agent\r\nReferer: "r"\r\nConnection: close\r\n\r\n',
      );
      await served.stop();
      const [line] = lines(read(served.dir, "access.log")).map(parseCombined);
      expect(line.userAgent).toBe(String.raw`a \"quoted\" \\ \x01 agent`);
      expect(line.referer).toBe(String.raw`\"r\"`);
    } finally {
      await served.stop();
    }
  });

  it("reads User-Agent and Referer whatever their case, and the first of repeated ones (as node's req.headers)", async () => {
    const served = await serve(["-l", "access.log"]);
    try {
      await rawRequest(
        served.url,
        "GET /case HTTP/1.1\r\nHost: localhost\r\nuSeR-aGeNt: first/1\r\nREFERER: http://a/\r\nReferer: http://b/\r\nUser-Agent: second/2\r\nConnection: close\r\n\r\n",
      );
      await served.stop();
      const [line] = lines(read(served.dir, "access.log")).map(parseCombined);
      expect(line.userAgent).toBe("first/1");
      expect(line.referer).toBe("http://a/");
    } finally {
      await served.stop();
    }
  });

  it("opens a new file on SIGUSR1 after the old one was moved (logrotate)", async () => {
    const served = await serve(["-l", "access.log"]);
    try {
      await (await fetch(new URL("/before", served.url))).text();
      await waitForFile(served.dir, "access.log", "/before");
      renameSync(join(served.dir, "access.log"), join(served.dir, "access.log.1"));
      served.child.kill("SIGUSR1");
      await waitFor(() => existsSync(join(served.dir, "access.log")), "the new access.log");
      await (await fetch(new URL("/after", served.url))).text();
      const result = await served.stop();
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(`reopened the access log ${join(served.dir, "access.log")}`);
      expect(lines(read(served.dir, "access.log.1")).map((line) => parseCombined(line).request)).toEqual([
        "GET /before HTTP/1.1",
      ]);
      expect(lines(read(served.dir, "access.log")).map((line) => parseCombined(line).request)).toEqual([
        "GET /after HTTP/1.1",
      ]);
    } finally {
      await served.stop();
    }
  });
});
