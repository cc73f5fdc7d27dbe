import { createHash, randomBytes } from "node:crypto";
import { request } from "node:http";
import { afterEach, expect, it } from "vitest";
import { describeExample } from "./_example.ts";

const MiB = 1024 * 1024;
const LIMIT = 8 * MiB;
const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

/** `data` as a request body stream of `chunkSize` pieces: sent chunked, without a Content-Length. */
function streamOf(data: Uint8Array, chunkSize = 64 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= data.length) return controller.close();
      controller.enqueue(data.subarray(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

describeExample(
  "upload checksum",
  (example) => {
    afterEach(() => expect(example.errors).toEqual([]));

    const upload = (body: BodyInit, method = "POST") =>
      example.fetch("/upload", { method, body, duplex: "half" } as RequestInit);

    it("hashes a 5 MiB body streamed in chunks", async () => {
      const data = randomBytes(5 * MiB);
      const response = await upload(streamOf(data));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(await response.text()).toBe(`{"bytes":${data.length},"sha256":"${sha256(data)}"}`);
    });

    it("hashes a body sent with a Content-Length, by POST or PUT", async () => {
      const data = randomBytes(3 * MiB + 17);
      for (const method of ["POST", "PUT"]) {
        const response = await upload(data, method);
        expect(response.status).toBe(200);
        expect(await response.text()).toBe(`{"bytes":${data.length},"sha256":"${sha256(data)}"}`);
      }
    });

    it("hashes an empty body", async () => {
      const response = await upload(new Uint8Array(0));
      expect(await response.text()).toBe(
        '{"bytes":0,"sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}',
      );
    });

    it("answers 413 at once when the announced length is over the limit", async () => {
      // Headers only: the server must answer without waiting for (or reading) the body.
      const { status, headers, body } = await new Promise<{
        status: number;
        headers: Record<string, unknown>;
        body: string;
      }>((resolve, reject) => {
        const req = request(example.url("/upload"), {
          method: "POST",
          headers: { "content-length": String(LIMIT + 1) },
        });
        req.on("response", (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk) => (text += chunk));
          res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
          res.on("error", reject);
        });
        req.on("error", reject);
        req.flushHeaders();
      });
      expect(status).toBe(413);
      expect(headers.connection).toBe("close");
      expect(body).toBe(
        '{"error":"payload_too_large","message":"The body is larger than the limit of 8388608 bytes."}',
      );
    });

    it("answers 413 when a streamed body passes the limit", async () => {
      const response = await upload(streamOf(randomBytes(LIMIT + 100_000)));
      expect(response.status).toBe(413);
      expect(await response.text()).toBe(
        '{"error":"payload_too_large","message":"The body is larger than the limit of 8388608 bytes."}',
      );
      const after = await upload(new Uint8Array([1, 2, 3]));
      expect(await after.json()).toEqual({ bytes: 3, sha256: sha256(new Uint8Array([1, 2, 3])) });
    });

    it("answers a wrong method with 405 and Allow", async () => {
      const response = await example.fetch("/upload");
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST, PUT, OPTIONS");
      expect(await response.text()).toBe(
        '{"error":"method_not_allowed","message":"GET is not allowed on /upload. Use POST, PUT, OPTIONS."}',
      );
    });
  },
  { maxUploadBytes: LIMIT },
);
