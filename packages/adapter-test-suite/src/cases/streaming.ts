import { expect } from "vitest";
import { MiB } from "../bytes.ts";
import { defineCases } from "../case.ts";
import { SSE_EVENTS } from "../fixture/streams.ts";
import { settledValue, within } from "../wait.ts";

// Far past what socket buffers hold: Linux may grow a paused client's receive buffer to 32 MiB
// (tcp_rmem), and a proxy in front (nginx for FastCGI) adds its own buffers.
const TOTAL = 256 * MiB;

export const streamingCases = defineCases("streaming", [
  {
    id: "backpressure",
    title: "pulls a streamed body only as fast as a paused client reads it",
    async run(t) {
      const id = t.newId();
      const connection = await t.raw();
      connection.write(t.request("GET", `/pull?id=${id}&total=${TOTAL}&chunk=65536`));
      await connection.received(1);
      connection.socket.pause();
      // A server that buffers the response pulls all of it.
      const pulled = await settledValue(async () => Number((await t.fixture.state(id)).pulled ?? 0));
      expect(pulled).toBeGreaterThan(0);
      expect(pulled).toBeLessThan(TOTAL / 2);
    },
  },
  {
    id: "client-abort-cancels-stream",
    title: "cancels the app's response stream when the client disconnects mid-body",
    async run(t) {
      const id = t.newId();
      const connection = await t.raw();
      connection.write(t.request("GET", `/pull?id=${id}&total=${TOTAL}&chunk=65536`));
      await connection.received(1);
      connection.destroy();
      const state = await t.fixture.until(id, "cancelled");
      expect(state.cancelled).toBe(true);
      expect(Number(state.pulled)).toBeLessThan(TOTAL);
    },
  },
  {
    id: "client-abort-signal",
    title: "aborts request.signal when the client disconnects before the response",
    async run(t) {
      const id = t.newId();
      const connection = await t.raw();
      connection.write(t.request("GET", `/abort?id=${id}`));
      await t.fixture.until(id, "started");
      connection.destroy();
      const state = await t.fixture.until(id, "aborted");
      expect(state.aborted).toBe(true);
      expect(state.reason).toBe("AbortError");
    },
  },
  {
    id: "client-gone-cancels-late-stream",
    title: "cancels a streamed response the app returns after its client disconnected",
    async run(t) {
      const id = t.newId();
      const connection = await t.raw();
      connection.write(t.request("GET", `/abort?id=${id}&answer=stream`));
      await t.fixture.until(id, "started");
      connection.destroy();
      // The app saw the disconnect (request.signal), then returned its stream: nobody will read it.
      const state = await t.fixture.until(id, "cancelled");
      expect(state.aborted).toBe(true);
      expect(state.cancelled).toBe(true);
    },
  },
  {
    id: "stream-headers-before-body",
    title: "sends a streamed response's headers before its first chunk exists",
    async run(t) {
      const id = t.newId();
      const response = await within(
        t.fetch(`/held?id=${id}`),
        5000,
        "The headers of a streamed response did not arrive before its first chunk",
      );
      expect(response.status).toBe(200);
      expect(response.headers.get("x-fixture")).toBe("held");
      await t.fixture.release(id);
      expect(await response.text()).toBe("released\n");
    },
  },
  {
    id: "sse",
    title: "delivers Server-Sent Events one by one while the stream stays open",
    async run(t) {
      const id = t.newId();
      const response = await t.fetch(`/sse?id=${id}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/event-stream");
      expect(response.headers.get("cache-control")).toBe("no-cache");
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = "";
      const readUntil = async (expected: string) => {
        while (text.length < expected.length) {
          const { done, value } = await reader.read();
          if (done) break;
          text += decoder.decode(value, { stream: true });
        }
      };
      // The second event is held until released: the first must arrive on its own.
      await within(
        readUntil(SSE_EVENTS[0]),
        5000,
        "The first event did not arrive while the stream was open",
      );
      expect(text).toBe(SSE_EVENTS[0]);
      await t.fixture.release(id);
      await readUntil(SSE_EVENTS.join(""));
      expect(text).toBe(SSE_EVENTS.join(""));
      expect((await reader.read()).done).toBe(true);
    },
  },
]);
