// The benchmark app, one fetch handler for every contender: A hello, B JSON echo, C 1 MiB stream.
const CHUNK = new Uint8Array(64 * 1024).fill(120);
const CHUNKS = 16;

/** @param {typeof Response} ResponseClass the global Response, or anyserver's FastResponse */
export function makeApp(ResponseClass = Response) {
  return {
    async fetch(request) {
      const path = request.url.slice(request.url.indexOf("/", 8));
      if (path === "/echo") {
        const data = await request.json();
        return new ResponseClass(JSON.stringify(data), { headers: { "content-type": "application/json" } });
      }
      if (path === "/stream") {
        let sent = 0;
        const body = new ReadableStream({
          pull(controller) {
            controller.enqueue(CHUNK);
            if (++sent === CHUNKS) controller.close();
          },
        });
        return new ResponseClass(body, { headers: { "content-type": "application/octet-stream" } });
      }
      return new ResponseClass("Hello, World!", { headers: { "content-type": "text/plain; charset=utf-8" } });
    },
  };
}

/** The Response class the VARIANT environment variable asks for. */
export async function responseClass() {
  if (process.env.VARIANT !== "fast") return Response;
  const core = await import("@anyserver/core");
  if (!core.FastResponse) throw new Error("this @anyserver/core has no FastResponse");
  return core.FastResponse;
}

export const port = Number(process.env.PORT ?? 3000);
export const host = "127.0.0.1";

/** Tell the runner the server is listening (it waits for this line on stdout). */
export function ready() {
  process.stdout.write("ready\n");
}
