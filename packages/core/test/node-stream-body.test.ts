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

  it("cuts the body of a stream that fails without a reason, instead of leaving the response open", async () => {
    const server = await startNode((request) => {
      if (new URL(request.url).pathname !== "/no-reason") return new Response("still here");
      let sent = false;
      const body = new ReadableStream({
        pull(controller) {
          if (sent) return controller.error();
          controller.enqueue(new TextEncoder().encode("first"));
          sent = true;
        },
      });
      return new Response(body);
    });
    // Bounded: a response left open would end in this timeout, a DOMException, not fetch's TypeError.
    const response = await fetch(new URL("/no-reason", server.url), { signal: AbortSignal.timeout(3000) });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toMatchObject({ name: "TypeError" });
    expect(await (await fetch(server.url)).text()).toBe("still here");
  });
});
