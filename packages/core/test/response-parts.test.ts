import { describe, expect, it } from "vitest";
import { FastResponse } from "../src/fast-response.ts";
import { type ResponseParts, responseParts, simpleBody, undiciLayout } from "../src/response-parts.ts";

/** Header lines sorted, so the undici read (insertion order) and the standard one (sorted) compare. */
function lines(headers: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < headers.length; i += 2) out.push(`${headers[i]}: ${headers[i + 1]}`);
  return out.sort();
}

async function bodyText(body: ResponseParts["body"]): Promise<string | null> {
  if (body === null) return null;
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString();
  return new Response(body).text();
}

/** Each case builds a fresh Response: the same one cannot be read twice. */
const cases: Record<string, () => Response> = {
  "string body": () => new Response("Hello, World!", { headers: { "content-type": "text/plain" } }),
  "bytes body": () => new Response(new TextEncoder().encode("bytes")),
  "null body, 204": () => new Response(null, { status: 204 }),
  "status text": () => new Response("gone", { status: 410, statusText: "Gone Away" }),
  "Set-Cookie twice and a repeated header": () => {
    const headers = new Headers([
      ["Set-Cookie", "a=1"],
      ["X-Many", "1"],
      ["set-cookie", "b=2"],
      ["x-many", "2"],
    ]);
    return new Response("ok", { headers });
  },
  "Content-Length set by the app": () => new Response("abc", { headers: { "Content-Length": "3" } }),
  "stream body": () =>
    new Response(
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("streamed"));
          controller.close();
        },
      }),
    ),
  "a clone's original": () => {
    const response = new Response("cloned");
    response.clone();
    return response;
  },
  "a subclass": () => new (class extends Response {})("sub"),
  "Response.json": () => Response.json({ a: 1 }),
};

describe("responseParts", () => {
  it("reads Node 20's own Response state (the fast path is found, not lost)", () => {
    if (process.versions.node.split(".")[0] !== "20") return;
    expect(undiciLayout).not.toBeNull();
  });

  it.each(Object.keys(cases))("reads %s as the standard getters do", async (name) => {
    const fast = responseParts(cases[name]());
    const standard = responseParts(cases[name](), null);
    expect(fast.status).toBe(standard.status);
    expect(fast.statusText).toBe(standard.statusText);
    // The standard path streams every body, so it adds no Content-Length of its own.
    const added = fast.body !== null && !(fast.body instanceof ReadableStream);
    const own = lines(standard.headers).some((line) => line.startsWith("content-length:"));
    const expected =
      added && !own
        ? [
            ...standard.headers,
            "content-length",
            String(Buffer.byteLength((await bodyText(fast.body)) ?? "")),
          ]
        : standard.headers;
    expect(lines(fast.headers)).toEqual(lines(expected));
    expect(await bodyText(fast.body)).toBe(await bodyText(standard.body));
  });

  it("gives string and bytes bodies whole, with their Content-Length", () => {
    const text = responseParts(new Response("héllo"));
    expect(text.body).toBe("héllo");
    expect(lines(text.headers)).toEqual(["content-length: 6", "content-type: text/plain;charset=UTF-8"]);
    const bytes = new Uint8Array([1, 2, 3]);
    expect(responseParts(new Response(bytes)).body).toEqual(bytes);
  });

  it("streams a body that was read, cancelled or locked, never its source again", async () => {
    const read = new Response("read");
    await read.text();
    const cancelled = new Response("cancelled");
    await cancelled.body!.cancel();
    const locked = new Response("locked");
    locked.body!.getReader();
    for (const response of [read, cancelled, locked]) {
      expect(simpleBody(response)).toBeUndefined();
      expect(responseParts(response).body).toBeInstanceOf(ReadableStream);
    }
  });

  it("takes a FastResponse's own parts, without building a Response", () => {
    const response = new FastResponse("fast", { status: 201, headers: { "X-A": "1" } });
    const parts = responseParts(response as unknown as Response);
    expect(parts).toEqual({
      status: 201,
      statusText: "",
      headers: ["X-A", "1", "content-type", "text/plain;charset=UTF-8", "content-length", "4"],
      body: "fast",
    });
  });

  it("has no whole body on the standard path: simpleBody needs Node's state", () => {
    expect(simpleBody(new Response("x"), null)).toBeUndefined();
  });
});
