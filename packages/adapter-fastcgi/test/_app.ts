import { createHash } from "node:crypto";
import type { RequestContext } from "@anyserver/core";
import type { FastcgiNative } from "../src/index.ts";

/** A promise a test resolves by name, so the app waits on the test, not on time. */
export class Gates {
  readonly #gates = new Map<string, { promise: Promise<void>; open: () => void }>();

  #gate(name: string) {
    let gate = this.#gates.get(name);
    if (!gate) {
      let open!: () => void;
      const promise = new Promise<void>((resolve) => (open = resolve));
      gate = { promise, open };
      this.#gates.set(name, gate);
    }
    return gate;
  }

  wait(name: string): Promise<void> {
    return this.#gate(name).promise;
  }

  open(name: string): void {
    this.#gate(name).open();
  }
}

/** What the app saw, for the tests to check. */
export interface AppRecord {
  aborted: Map<string, string>;
  sockets: Set<unknown>;
  /** Names of /slow requests that reached the app. */
  started: Set<string>;
  pausedDuringUpload: boolean;
  maxQueuedBytes: number;
  waitUntilDone: number;
}

/** The protocol tests' app: each route exercises one part of the responder. */
export function createTestApp(gates: Gates) {
  const record: AppRecord = {
    aborted: new Map(),
    sockets: new Set(),
    started: new Set(),
    pausedDuringUpload: false,
    maxQueuedBytes: 0,
    waitUntilDone: 0,
  };
  const app = {
    async fetch(request: Request, context: RequestContext): Promise<Response> {
      const url = new URL(request.url);
      const native = context.native as FastcgiNative;
      record.sockets.add(native.socket);
      const name = url.searchParams.get("name") ?? "";
      switch (url.pathname) {
        case "/echo":
          return Response.json({
            method: request.method,
            url: request.url,
            headers: Object.fromEntries(request.headers),
            body: await request.text(),
            remoteAddress: context.remoteAddress,
            remotePort: context.remotePort,
            adapter: context.adapter,
            requestId: native.requestId,
          });
        case "/upload": {
          // Read one chunk, then stop reading until the responder pauses the connection (bounded).
          const reader = request.body!.getReader();
          const hash = createHash("sha256");
          let bytes = 0;
          const first = await reader.read();
          if (first.value) {
            hash.update(first.value);
            bytes += first.value.length;
          }
          for (let i = 0; i < 400 && !native.socket.isPaused(); i++)
            await new Promise((r) => setTimeout(r, 25));
          record.pausedDuringUpload ||= native.socket.isPaused();
          for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
            hash.update(chunk.value);
            bytes += chunk.value.length;
          }
          return Response.json({ bytes, sha256: hash.digest("hex") });
        }
        case "/download": {
          // Pull-based: each pull notes how much the socket holds that the client has not read.
          let left = Number(url.searchParams.get("size"));
          const chunk = new Uint8Array(64 * 1024).fill(120);
          const body = new ReadableStream<Uint8Array>({
            pull(controller) {
              record.maxQueuedBytes = Math.max(record.maxQueuedBytes, native.socket.writableLength);
              if (left <= 0) return controller.close();
              const part = chunk.subarray(0, Math.min(left, chunk.length));
              left -= part.length;
              controller.enqueue(part.slice());
            },
          });
          return new Response(body, { headers: { "content-type": "application/octet-stream" } });
        }
        case "/hold": {
          // Streams a first line, then waits for its gate, or for the client to go away.
          request.signal.addEventListener("abort", () =>
            record.aborted.set(name, (request.signal.reason as Error)?.name ?? "aborted"),
          );
          const encoder = new TextEncoder();
          const body = new ReadableStream<Uint8Array>({
            async start(controller) {
              controller.enqueue(encoder.encode("first\n"));
              await Promise.race([
                gates.wait(name),
                new Promise((resolve) => request.signal.addEventListener("abort", resolve)),
              ]);
              if (!request.signal.aborted) controller.enqueue(encoder.encode("second\n"));
              controller.close();
            },
          });
          return new Response(body, { headers: { "content-type": "text/plain" } });
        }
        case "/slow":
          record.started.add(name);
          await gates.wait(name);
          return new Response(`slow ${name} done`);
        case "/wait-until":
          context.waitUntil(gates.wait(name).then(() => record.waitUntilDone++));
          return new Response("answered");
        case "/big":
          return new Response(new Uint8Array(Number(url.searchParams.get("size"))).fill(98));
        case "/broken-stream": {
          const body = new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(new TextEncoder().encode("partial"));
            },
            pull(controller) {
              // After the first chunk went out.
              if (controller.desiredSize !== null) controller.error(new Error("the stream broke"));
            },
          });
          return new Response(body);
        }
        case "/cookies": {
          const headers = new Headers({ "content-type": "text/plain" });
          headers.append("set-cookie", "a=1; Path=/");
          headers.append("set-cookie", "b=2; HttpOnly");
          return new Response("two cookies", { status: 201, headers });
        }
        case "/throw":
          throw new Error("the app failed");
        default:
          return new Response("not found", { status: 404 });
      }
    },
  };
  return { app, record };
}
