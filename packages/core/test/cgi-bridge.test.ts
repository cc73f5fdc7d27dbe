import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { type CgiOutput, CgiRequest, createCgiHandler, requestUrl } from "../src/cgi/index.ts";

/** Collects what the bridge writes, as stdout or FCGI_STDOUT would carry it. */
function collector(): CgiOutput & { bytes(): string; ended: boolean } {
  const chunks: Buffer[] = [];
  let ended = false;
  return {
    get closed() {
      return ended;
    },
    get ended() {
      return ended;
    },
    write: (chunk) => chunks.push(Buffer.from(chunk)) > 0,
    drain: () => Promise.resolve(),
    end(chunk) {
      if (chunk) chunks.push(Buffer.from(chunk));
      ended = true;
    },
    abort() {
      ended = true;
    },
    bytes: () => Buffer.concat(chunks).toString("latin1"),
  };
}

function request(params: Record<string, string>, body: string | null = null, trustProxy = false): Request {
  const init = {
    body: body === null ? null : Readable.from([Buffer.from(body)]),
    signal: new AbortController().signal,
    trustProxy,
    bodyLimit: Number.POSITIVE_INFINITY,
  };
  return new CgiRequest(params, init) as unknown as Request;
}

describe("the CGI bridge (@anyserver/core/cgi)", () => {
  it("builds request.url from REQUEST_URI as sent, and from the server's name without a Host header", () => {
    expect(requestUrl({ REQUEST_URI: "/a%20b/c?x=%2F", HTTP_HOST: "shop.example:8080" }, false)).toBe(
      "http://shop.example:8080/a%20b/c?x=%2F",
    );
    expect(
      requestUrl({ REQUEST_URI: "http://other.example/p?q=1", HTTPS: "on", HTTP_HOST: "h" }, false),
    ).toBe("https://h/p?q=1");
    expect(
      requestUrl(
        { REQUEST_URI: "/", SERVER_NAME: "::1", SERVER_PORT: "8443", REQUEST_SCHEME: "https" },
        false,
      ),
    ).toBe("https://[::1]:8443/");
    expect(
      requestUrl({ REQUEST_URI: "/", SERVER_NAME: "example.test", SERVER_PORT: "80", HTTPS: "off" }, false),
    ).toBe("http://example.test/");
  });

  it("serves a REQUEST_URI that no URL can hold as /", () => {
    expect(requestUrl({ REQUEST_URI: "http://[bad", HTTP_HOST: "h" }, false)).toBe("http://h/");
  });

  it("re-encodes a decoded PATH_INFO, including characters that would end the path", () => {
    const params = { SCRIPT_NAME: "/app.cgi", PATH_INFO: "/a b/é?#%", QUERY_STRING: "q=1", HTTP_HOST: "h" };
    expect(requestUrl(params, false)).toBe("http://h/app.cgi/a%20b/%C3%A9%3F%23%25?q=1");
  });

  it("believes X-Forwarded-Proto and -Host only with trustProxy", () => {
    const params = {
      REQUEST_URI: "/x",
      HTTP_HOST: "internal:8000",
      HTTP_X_FORWARDED_PROTO: "https, http",
      HTTP_X_FORWARDED_HOST: "shop.example",
    };
    expect(requestUrl(params, false)).toBe("http://internal:8000/x");
    expect(requestUrl(params, true)).toBe("https://shop.example/x");
  });

  it("gives the app HTTP_* variables as headers, Content-Type and Content-Length once, and skips what no header could be", () => {
    const headers = request({
      REQUEST_METHOD: "POST",
      CONTENT_TYPE: "text/plain",
      CONTENT_LENGTH: "3",
      HTTP_CONTENT_TYPE: "text/plain",
      HTTP_X_MULTI_WORD: "a",
      "HTTP_BAD NAME": "ignored",
      PATH: "/usr/bin",
    }).headers;
    expect([...headers]).toEqual([
      ["content-length", "3"],
      ["content-type", "text/plain"],
      ["x-multi-word", "a"],
    ]);
  });

  it("reads a body only with CONTENT_LENGTH (or a chunked upload) and never for GET", async () => {
    expect(await request({ REQUEST_METHOD: "POST", CONTENT_LENGTH: "5" }, "hello").text()).toBe("hello");
    expect(request({ REQUEST_METHOD: "POST" }, "hello").body).toBeNull();
    expect(await request({ REQUEST_METHOD: "POST", HTTP_TRANSFER_ENCODING: "chunked" }, "hi").text()).toBe(
      "hi",
    );
    expect(request({ REQUEST_METHOD: "GET", CONTENT_LENGTH: "5" }, "hello").body).toBeNull();
  });

  it("writes Status, headers and a simple body in one write with its Content-Length", async () => {
    const output = collector();
    const handle = createCgiHandler(
      () =>
        new Response("héllo", {
          status: 418,
          headers: [
            ["set-cookie", "a=1"],
            ["set-cookie", "b=2"],
          ],
        }),
      { adapter: "test", waitUntil() {} },
    );
    await handle({
      params: { REQUEST_METHOD: "GET", REQUEST_URI: "/" },
      body: null,
      output,
      signal: new AbortController().signal,
      native: null,
    });
    // Headers in the order the app set them (the body's content-type comes after).
    expect(output.bytes()).toBe(
      "Status: 418 I'm a Teapot\r\nset-cookie: a=1\r\nset-cookie: b=2\r\ncontent-type: text/plain;charset=UTF-8\r\ncontent-length: 6\r\n\r\nh\xc3\xa9llo",
    );
  });

  it("streams a body after its head and stops pulling when the signal aborts", async () => {
    const output = collector();
    const abort = new AbortController();
    let pulls = 0;
    const handle = createCgiHandler(
      () =>
        new Response(
          new ReadableStream({
            pull(controller) {
              if (++pulls === 2) abort.abort();
              controller.enqueue(new TextEncoder().encode(`chunk${pulls};`));
            },
          }),
        ),
      { adapter: "test", waitUntil() {} },
    );
    await handle({
      params: { REQUEST_METHOD: "GET" },
      body: null,
      output,
      signal: abort.signal,
      native: null,
    });
    expect(output.bytes().startsWith("Status: 200 OK\r\n\r\nchunk1;")).toBe(true);
    expect(pulls).toBeLessThan(5);
  });

  it("answers 500 with one log line when the app throws", async () => {
    const output = collector();
    const lines: string[] = [];
    const handle = createCgiHandler(
      () => {
        throw new Error("boom");
      },
      {
        adapter: "test",
        waitUntil() {},
        logger: { info() {}, warn() {}, error: (line) => lines.push(line) },
      },
    );
    await handle({
      params: { REQUEST_METHOD: "GET", REQUEST_URI: "/x?y" },
      body: null,
      output,
      signal: new AbortController().signal,
      native: null,
    });
    expect(output.bytes()).toBe(
      "Status: 500 Internal Server Error\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 21\r\n\r\nInternal Server Error",
    );
    expect(lines).toEqual([
      expect.stringMatching(/^GET \/x\?y failed: Error: boom \(at test\/cgi-bridge\.test\.ts:\d+:\d+\)$/),
    ]);
  });
});
