import { afterEach, describe, expect, it } from "vitest";
import type { Logger } from "../src/index.ts";
import { closeAll, startNode } from "./_node.ts";

describe("node bridge, streamed bodies", () => {
  afterEach(closeAll);

  it("cuts the body at a chunk that is not bytes, logs why in one line, and serves on", async () => {
    const errors: string[] = [];
    const logger: Logger = { info() {}, warn() {}, error: (line) => errors.push(line) };
    const server = await startNode(
      (request) => {
        if (new URL(request.url).pathname !== "/bad-chunk") return new Response("still here");
        const body = new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode("first"));
            controller.enqueue(42);
            controller.close();
          },
        });
        return new Response(body);
      },
      { logger },
    );
    const response = await fetch(new URL("/bad-chunk", server.url));
    expect(response.status).toBe(200);
    // A clean end would pass the cut body off as whole.
    await expect(response.text()).rejects.toThrow();
    const next = await fetch(server.url);
    expect(await next.text()).toBe("still here");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^GET \/bad-chunk failed: TypeError: The "chunk" argument must be of type string or an instance of Buffer or Uint8Array\. Received type number \(42\)$/,
    );
  });
});
