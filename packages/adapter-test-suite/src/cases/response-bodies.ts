import { expect } from "vitest";
import { allByteValues, MiB, patternBytes, sha256 } from "../bytes.ts";
import { defineCases } from "../case.ts";
import { UNICODE_TEXT } from "../fixture/basic.ts";
import { header } from "../raw-http.ts";

export const responseBodyCases = defineCases("response bodies", [
  {
    id: "response-binary-exact",
    title: "sends every byte value 0-255 exactly",
    async run(t) {
      const response = await t.fetch("/all-bytes");
      expect(response.headers.get("content-type")).toBe("application/octet-stream");
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(allByteValues(4));
    },
  },
  {
    id: "response-unicode",
    title: "sends a UTF-8 text body with Content-Length counted in bytes",
    async run(t) {
      const connection = await t.raw();
      connection.write(t.request("GET", "/unicode"));
      const response = await connection.response();
      expect(header(response, "content-length")).toBe(String(Buffer.byteLength(UNICODE_TEXT)));
      expect(response.body.toString("utf8")).toBe(UNICODE_TEXT);
    },
  },
  {
    id: "response-json",
    title: "sends Response.json() with its content type",
    async run(t) {
      const response = await t.fetch("/json");
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(await response.json()).toEqual({ hello: "wörld", list: [1, 2, 3], nested: { ok: true } });
    },
  },
  {
    id: "download-large",
    title: "sends a 10 MiB body intact (checksum)",
    timeout: 30_000,
    async run(t) {
      const response = await t.fetch(`/bytes?n=${10 * MiB}`);
      expect(response.headers.get("content-length")).toBe(String(10 * MiB));
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect(bytes.length).toBe(10 * MiB);
      expect(sha256(bytes)).toBe(sha256(patternBytes(10 * MiB)));
    },
  },
  {
    id: "response-stream",
    title: "sends a streamed body chunk by chunk, in order",
    async run(t) {
      const connection = await t.raw();
      connection.write(t.request("GET", "/stream?total=5000&chunk=1000"));
      const response = await connection.response();
      expect(response.status).toBe(200);
      expect(response.body).toEqual(Buffer.from(patternBytes(5000)));
    },
  },
  {
    id: "download-streamed-large",
    title: "streams a 10 MiB body intact (checksum)",
    timeout: 30_000,
    async run(t) {
      const response = await t.fetch(`/stream?total=${10 * MiB}&chunk=65536`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect(bytes.length).toBe(10 * MiB);
      expect(sha256(bytes)).toBe(sha256(patternBytes(10 * MiB)));
    },
  },
]);
