import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FastResponse } from "../src/fast-response.ts";
import { silentLogger } from "../src/logger.ts";
import { nodeAdapter } from "../src/node/adapter.ts";
import type { RunningServer } from "../src/types.ts";

/** Status line and headers as the client received them (minus Date), plus the body. */
function get(
  url: URL,
  method = "GET",
): Promise<{ status: number; message: string; headers: string[]; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => {
        const headers: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i].toLowerCase();
          if (name !== "date" && name !== "connection" && name !== "keep-alive")
            headers.push(`${name}: ${res.rawHeaders[i + 1]}`);
        }
        resolve({ status: res.statusCode!, message: res.statusMessage!, headers: headers.sort(), body });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

describe("FastResponse", () => {
  it("passes instanceof Response and reads like one", async () => {
    const response = new FastResponse("héllo", { status: 201, statusText: "Made", headers: { "x-a": "1" } });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.statusText).toBe("Made");
    expect(response.ok).toBe(true);
    expect(response.headers.get("x-a")).toBe("1");
    expect(response.clone().headers.get("content-type")).toBe("text/plain;charset=UTF-8");
    expect(await response.text()).toBe("héllo");
    expect(response.bodyUsed).toBe(true);
    expect(await FastResponse.json({ a: [1] }).json()).toEqual({ a: [1] });
  });

  it("computes its parts once, and again after its headers were handed out (they may change)", () => {
    const response = new FastResponse("hi", { headers: { "x-a": "1" } });
    const first = response.parts();
    expect(response.parts()).toBe(first);
    response.headers.set("x-b", "2");
    // Handed out, the headers read as a Response's do: the text body's content-type included.
    expect(response.parts()?.headers).toEqual([
      "content-type",
      "text/plain;charset=UTF-8",
      "x-a",
      "1",
      "x-b",
      "2",
      "content-length",
      "2",
    ]);
  });

  it("shows the headers a Response would have, the body's content-type included", () => {
    for (const body of [
      "text",
      new Uint8Array([1]),
      new Blob(["b"], { type: "image/png" }),
      new URLSearchParams("a=1"),
      null,
    ]) {
      const fast = new FastResponse(body, { headers: { "x-a": "1" } });
      const standard = new Response(body, { headers: { "x-a": "1" } });
      expect([...fast.headers]).toEqual([...standard.headers]);
    }
  });

  it("throws as Response does for a status outside 200-599 or a statusText with CR LF", () => {
    expect(() => new FastResponse("x", { status: 99 })).toThrow(RangeError);
    expect(() => new FastResponse("x", { status: 600 })).toThrow("must be in the range of 200 to 599");
    expect(() => new FastResponse("x", { statusText: "OK\r\nx-injected: 1" })).toThrow(TypeError);
    expect(new FastResponse("x", { status: 599, statusText: "Late \t ok" }).status).toBe(599);
  });

  it("refuses to hand a bridge a header HTTP forbids (CR, LF, NUL, controls; names that are not tokens)", () => {
    const parts = (headers: Record<string, string>) => () => new FastResponse("x", { headers }).parts();
    expect(parts({ "x-a": "1\r\nx-injected: 1" })).toThrow(
      'The value of header "x-a" holds a character HTTP forbids (CR, LF, NUL or another control character): "1\\r\\nx-injected: 1". Remove it, or encode the value (encodeURIComponent).',
    );
    expect(parts({ "x-a": "a\u0000b" })).toThrow(TypeError);
    expect(parts({ "x-a": "a\u007fb" })).toThrow(TypeError);
    expect(parts({ "x a": "1" })).toThrow('"x a" is not a valid header name');
    expect(parts({ "x-a": 'tab\tand latin1 \u00e9 and "quotes"' })).not.toThrow();
  });

  it("cancels the app's stream when its headers make the real Response throw", async () => {
    let reason: unknown;
    const body = new ReadableStream({
      cancel(why) {
        reason = why;
      },
    });
    const response = new FastResponse(body, { headers: { "x-a": "1\r\nx-injected: 1" } });
    expect(() => response.body).toThrow(TypeError);
    await new Promise((resolve) => setImmediate(resolve));
    expect(reason).toBeInstanceOf(TypeError);
  });

  it("writes a number header value as its string, as Headers would", () => {
    const response = new FastResponse("x", { headers: { "x-count": 5 as unknown as string } });
    expect(response.parts()?.headers.slice(0, 2)).toEqual(["x-count", "5"]);
  });

  it("is told apart by a brand that another copy of the package shares", async () => {
    const { isFastResponse } = await import("../src/fast-response.ts");
    const foreign = Object.create(Response.prototype, {
      [Symbol.for("anyserver.FastResponse.v1")]: { value: true },
    });
    expect(isFastResponse(foreign)).toBe(true);
    expect(isFastResponse(new Response("x"))).toBe(false);
    expect(isFastResponse(new FastResponse("x"))).toBe(true);
  });

  describe("on the node server", () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await nodeAdapter.serve(
        {
          fetch(request) {
            const path = new URL(request.url).pathname;
            const Class = path.startsWith("/fast") ? FastResponse : Response;
            const kind = path.slice(path.lastIndexOf("/") + 1);
            if (kind === "text")
              return new Class("héllo wörld", {
                status: 202,
                statusText: "Taken",
                headers: { "x-a": "1" },
              }) as Response;
            if (kind === "bytes")
              return new Class(new Uint8Array([0, 1, 255]), { headers: [["x-b", "2"]] }) as Response;
            if (kind === "json")
              return (
                Class === FastResponse ? FastResponse.json({ ok: true }) : Response.json({ ok: true })
              ) as Response;
            if (kind === "empty") return new Class(null, { status: 204 }) as Response;
            if (kind === "mutated") {
              const response = new Class("x", { headers: { "content-type": "text/html" } }) as Response;
              response.headers.set("x-later", "yes");
              response.headers.append("set-cookie", "a=1");
              response.headers.append("set-cookie", "b=2");
              return response;
            }
            return new Class(new Blob(["from a blob"]), {
              headers: { "content-type": "text/plain" },
            }) as Response;
          },
        },
        { port: 0, logger: silentLogger },
      );
    });
    afterAll(() => server.close());

    it.each(["text", "bytes", "json", "empty", "mutated", "blob"])(
      "sends the same bytes as Response for a %s body",
      async (kind) => {
        const fast = await get(new URL(`/fast/${kind}`, server.url));
        const standard = await get(new URL(`/standard/${kind}`, server.url));
        expect(fast).toEqual(standard);
      },
    );

    it("sends headers without a body for HEAD", async () => {
      const head = await get(new URL("/fast/text", server.url), "HEAD");
      expect(head.body).toBe("");
      expect(head.headers).toContain(`content-length: ${Buffer.byteLength("héllo wörld")}`);
    });
  });
});
