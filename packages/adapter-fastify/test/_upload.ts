import { request } from "node:http";

const MiB = 1024 * 1024;

/**
 * POST `total` bytes, but only the first MiB until the response has started: the app answers
 * "first chunk" as soon as it reads one, so a server that buffered the body would never let
 * the upload finish. Resolves with the whole response text.
 */
export function uploadInLockstep(
  url: URL,
  total: number,
  contentType: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(MiB, 0x61);
    const req = request(url, {
      method: "POST",
      headers: { "content-type": contentType, "content-length": String(total) },
    });
    req.on("error", reject);
    req.write(chunk);
    req.on("response", (res) => {
      let text = "";
      let rest = total - MiB;
      res.setEncoding("utf8");
      res.on("data", (data: string) => {
        text += data;
        if (rest > 0 && text.includes("first chunk")) {
          for (; rest > 0; rest -= MiB) req.write(rest >= MiB ? chunk : chunk.subarray(0, rest));
          req.end();
        }
      });
      res.on("end", () => resolve({ status: res.statusCode!, text }));
      res.on("error", reject);
    });
  });
}

/** An app that answers while it reads: "first chunk" on the first one, then the byte count. */
export const countingApp = {
  fetch(request: Request): Response {
    const reader = request.body!.getReader();
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        let size = 0;
        for (let first = true; ; first = false) {
          const { done, value } = await reader.read();
          if (done) break;
          size += value.byteLength;
          if (first) controller.enqueue(encoder.encode("first chunk\n"));
        }
        controller.enqueue(encoder.encode(`received ${size} bytes`));
        controller.close();
      },
    });
    return new Response(body, { headers: { "content-type": "text/plain" } });
  },
};

export { MiB };
