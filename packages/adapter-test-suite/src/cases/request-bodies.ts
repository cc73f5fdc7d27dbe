import { expect } from "vitest";
import { allByteValues, MiB, patternBytes, sha256 } from "../bytes.ts";
import { defineCases } from "../case.ts";
import { UNICODE_TEXT } from "../fixture/basic.ts";

/** A request body sent as `count` chunks of `size` bytes from a stream (chunked encoding). */
function streamedBody(count: number, size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent === count) return controller.close();
      controller.enqueue(patternBytes(size, sent * size));
      sent++;
    },
  });
}

const streamed = { method: "POST", duplex: "half" } as RequestInit;

export const requestBodyCases = defineCases("request bodies", [
  {
    id: "body-json",
    title: "gives the app a JSON body through request.json()",
    async run(t) {
      const value = { name: "Zoë", list: [1, 2.5, null], nested: { ok: true } };
      const response = await t.fetch("/json-echo", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(value),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ received: value, type: "object" });
    },
  },
  {
    id: "body-text-unicode",
    title: "gives the app a UTF-8 text body through request.text()",
    async run(t) {
      const response = await t.fetch("/text", { method: "POST", body: UNICODE_TEXT });
      expect(await response.json()).toEqual({ text: UNICODE_TEXT, length: UNICODE_TEXT.length });
    },
  },
  {
    id: "body-binary-exact",
    title: "gives the app every byte value 0-255 through request.arrayBuffer()",
    async run(t) {
      const bytes = allByteValues(16);
      const response = await t.fetch("/upload", { method: "POST", body: bytes });
      expect(await response.json()).toEqual({ size: bytes.length, sha256: sha256(bytes) });
    },
  },
  {
    id: "body-form-urlencoded",
    title: "gives the app an urlencoded form through request.formData()",
    async run(t) {
      const body = new URLSearchParams([
        ["name", "Zoë & co"],
        ["tag", "a"],
        ["tag", "b"],
      ]);
      const response = await t.fetch("/form", { method: "POST", body });
      expect(await response.json()).toEqual({
        entries: [
          { name: "name", value: "Zoë & co" },
          { name: "tag", value: "a" },
          { name: "tag", value: "b" },
        ],
      });
    },
  },
  {
    id: "body-form-multipart",
    title: "gives the app a multipart form with a file through request.formData()",
    async run(t) {
      const file = patternBytes(100_000);
      const form = new FormData();
      form.append("title", "report ✓");
      form.append("upload", new Blob([file], { type: "application/x-fixture" }), "data.bin");
      const response = await t.fetch("/form", { method: "POST", body: form });
      expect(await response.json()).toEqual({
        entries: [
          { name: "title", value: "report ✓" },
          {
            name: "upload",
            filename: "data.bin",
            type: "application/x-fixture",
            size: file.length,
            sha256: sha256(file),
          },
        ],
      });
    },
  },
  {
    id: "body-empty-post",
    title: "gives the app an empty body for a POST with Content-Length: 0 and for one with no length",
    async run(t) {
      const response = await t.fetch("/text", { method: "POST", body: "" });
      expect(await response.json()).toEqual({ text: "", length: 0 });
      const connection = await t.raw();
      connection.write(t.request("POST", "/text", { Connection: "close" }));
      const bare = await connection.response();
      expect(bare.status).toBe(200);
      expect(JSON.parse(bare.body.toString())).toEqual({ text: "", length: 0 });
    },
  },
  {
    id: "upload-large",
    title: "receives a 10 MiB upload intact (checksum)",
    timeout: 30_000,
    async run(t) {
      const bytes = patternBytes(10 * MiB);
      const response = await t.fetch("/upload", { method: "POST", body: bytes });
      expect(await response.json()).toEqual({ size: bytes.length, sha256: sha256(bytes) });
    },
  },
  {
    id: "upload-streamed",
    title: "streams a chunked 4 MiB upload to request.body intact",
    timeout: 30_000,
    async run(t) {
      const response = await t.fetch("/upload-stream", { ...streamed, body: streamedBody(64, 64 * 1024) });
      const seen = await response.json();
      expect(seen.size).toBe(4 * MiB);
      expect(seen.sha256).toBe(sha256(patternBytes(4 * MiB)));
      expect(seen.chunks).toBeGreaterThan(1);
    },
  },
  {
    id: "body-stream-echo",
    title: "streams request.body straight back as the response body",
    timeout: 30_000,
    async run(t) {
      const response = await t.fetch("/echo-stream", { ...streamed, body: streamedBody(32, 64 * 1024) });
      expect(response.status).toBe(200);
      const echoed = new Uint8Array(await response.arrayBuffer());
      expect(echoed.length).toBe(2 * MiB);
      expect(sha256(echoed)).toBe(sha256(patternBytes(2 * MiB)));
    },
  },
]);
