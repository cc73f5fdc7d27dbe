import { describe, expect, it } from "vitest";
import { header, headerValues, parseResponse } from "../src/index.ts";

const bytes = (text: string) => Buffer.from(text, "latin1");

describe("parseResponse", () => {
  it("reads a Content-Length body and leaves the next response in the buffer", () => {
    const buffer = bytes(
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\nx-a: 2\r\n\r\nhelloHTTP/1.1 204 No Content\r\n\r\n",
    );
    const parsed = parseResponse(buffer, "GET", false)!;
    expect(parsed.response.status).toBe(200);
    expect(parsed.response.statusText).toBe("OK");
    expect(parsed.response.body.toString()).toBe("hello");
    expect(headerValues(parsed.response, "X-A")).toEqual(["1", "2"]);
    const next = parseResponse(buffer.subarray(parsed.consumed), "GET", false)!;
    expect(next.response.status).toBe(204);
    expect(next.consumed).toBe(buffer.length - parsed.consumed);
  });

  it("joins chunks, skips trailers, and waits while a chunk is incomplete", () => {
    const full =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n";
    expect(parseResponse(bytes(full.slice(0, 60)), "GET", false)).toBeUndefined();
    const parsed = parseResponse(bytes(full), "GET", false)!;
    expect(parsed.response.body.toString()).toBe("abcde");
    expect(parsed.consumed).toBe(full.length);
  });

  it("reads no body for HEAD whatever Content-Length says, and reads to the end without framing", () => {
    const head = parseResponse(bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"), "HEAD", false)!;
    expect(head.response.body.length).toBe(0);
    expect(header(head.response, "content-length")).toBe("10");
    const unframed = bytes("HTTP/1.0 200 OK\r\n\r\nuntil close");
    expect(parseResponse(unframed, "GET", false)).toBeUndefined();
    expect(parseResponse(unframed, "GET", true)!.response.body.toString()).toBe("until close");
  });

  it("keeps a status line without a reason phrase, and rejects one that is not HTTP", () => {
    expect(
      parseResponse(bytes("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n"), "GET", false)!.response.statusText,
    ).toBe("");
    expect(() => parseResponse(bytes("SSH-2.0\r\n\r\n"), "GET", false)).toThrow(
      'Malformed status line from the server: "SSH-2.0"',
    );
  });
});
