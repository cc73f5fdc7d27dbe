import { afterEach, describe, expect, it } from "vitest";
import type { Logger } from "../src/types.ts";
import { closeAll, rawExchange, startNode } from "./_node.ts";

afterEach(closeAll);

// undici lets a header value hold DEL (0x7f); node:http's writeHead refuses it, as HTTP does.
describe("node bridge, when node:http refuses the app's headers", () => {
  it("answers 500 with its own reason phrase and cancels the app's stream", async () => {
    const errors: string[] = [];
    const logger: Logger = { info() {}, warn() {}, error: (line) => errors.push(line) };
    let cancelled = false;
    const server = await startNode(
      (request) => {
        const streamed = request.url.endsWith("/stream");
        const body = streamed
          ? new ReadableStream<Uint8Array>({
              pull: (controller) => controller.enqueue(new Uint8Array(1)),
              cancel() {
                cancelled = true;
              },
            })
          : "whole";
        return new Response(body, { headers: { "x-bad": "a\u007fb" } });
      },
      { logger },
    );
    for (const path of ["/whole", "/stream"]) {
      const answer = await rawExchange(
        server.port,
        `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      expect(answer.split("\r\n")[0], path).toBe("HTTP/1.1 500 Internal Server Error");
      expect(answer.endsWith("\r\n\r\nInternal Server Error"), path).toBe(true);
    }
    expect(cancelled).toBe(true);
    expect(errors).toEqual([
      'GET /whole failed: TypeError: Invalid character in header content ["x-bad"]',
      'GET /stream failed: TypeError: Invalid character in header content ["x-bad"]',
    ]);
  });
});
