import { afterEach, expect, it } from "vitest";
import { bytesOf, describeExample } from "./_example.ts";

const MiB = 1024 * 1024;

/** What /download promises: byte i is i % 256. */
function expectPattern(bytes: Uint8Array, size: number): void {
  expect(bytes.byteLength).toBe(size);
  const wrong = bytes.findIndex((byte, i) => byte !== i % 256);
  expect(wrong, `first wrong byte at ${wrong}`).toBe(-1);
}

describeExample(
  "streamed download",
  (example) => {
    afterEach(() => expect(example.errors).toEqual([]));

    it("streams 1 MiB by default as an attachment with its length", async () => {
      const response = await example.fetch("/download");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/octet-stream");
      expect(response.headers.get("content-length")).toBe(String(MiB));
      expect(response.headers.get("content-disposition")).toBe(
        'attachment; filename="anyserver-1048576.bin"',
      );
      expect(response.headers.get("cache-control")).toBe("no-store");
      expectPattern(await bytesOf(response), MiB);
    });

    it("streams exactly the size asked, also when it is not a whole number of chunks", async () => {
      for (const size of [0, 1, 255, 65_537, 100_000]) {
        const response = await example.fetch(`/download?size=${size}`);
        expect(response.status).toBe(200);
        expect(response.headers.get("content-length")).toBe(String(size));
        expectPattern(await bytesOf(response), size);
      }
    });

    it("delivers a 16 MiB download in many chunks as it is generated", async () => {
      const response = await example.fetch(`/download?size=${16 * MiB}`);
      const reader = response.body!.getReader();
      let received = 0;
      let chunks = 0;
      let wrong = -1;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (let i = 0; i < value.length && wrong < 0; i++)
          if (value[i] !== (received + i) % 256) wrong = received + i;
        received += value.length;
        chunks++;
      }
      expect(wrong).toBe(-1);
      expect(received).toBe(16 * MiB);
      expect(chunks).toBeGreaterThan(1);
    });

    it("answers HEAD with the download's headers and no body", async () => {
      const response = await example.fetch("/download?size=5000", { method: "HEAD" });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-disposition")).toBe('attachment; filename="anyserver-5000.bin"');
      expect(response.headers.get("content-length")).toBe("5000");
      expect(await response.text()).toBe("");
    });

    it("answers a size over the limit or not a whole number with 400 naming size", async () => {
      for (const size of [
        String(16 * MiB + 1),
        "99999999999999999999",
        "-1",
        "1.5",
        "1e3",
        "abc",
        "",
        "0x10",
      ]) {
        const response = await example.fetch(`/download?size=${encodeURIComponent(size)}`);
        expect(response.status, size).toBe(400);
        expect(response.headers.get("content-type")).toBe("application/json");
        expect(await response.text()).toBe(
          '{"error":"invalid_query","message":"size must be a whole number of bytes from 0 to 16777216.","field":"size"}',
        );
      }
    });

    it("keeps serving after a client abandons a download halfway", async () => {
      const abort = new AbortController();
      const response = await example.fetch(`/download?size=${16 * MiB}`, { signal: abort.signal });
      const reader = response.body!.getReader();
      expect((await reader.read()).done).toBe(false);
      abort.abort();
      await expect(reader.read()).rejects.toThrow();
      const next = await example.fetch("/download?size=10");
      expectPattern(await bytesOf(next), 10);
    });

    it("answers a wrong method with 405 and Allow", async () => {
      const response = await example.fetch("/download", { method: "POST", body: "x" });
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    });
  },
  { maxDownloadBytes: 16 * MiB },
);
