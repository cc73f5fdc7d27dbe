// uWebSockets.js written the fastest idiomatic way: cork + end, onData for bodies, tryEnd/onWritable for streams.
import uWS from "uWebSockets.js";
import { host, port, ready } from "./_app.mjs";

const CHUNK = new Uint8Array(64 * 1024).fill(120);
const TOTAL = 16 * CHUNK.length;

uWS
  .App()
  .get("/", (res) => {
    res.cork(() => res.writeHeader("content-type", "text/plain; charset=utf-8").end("Hello, World!"));
  })
  .post("/echo", (res) => {
    const chunks = [];
    let aborted = false;
    res.onAborted(() => (aborted = true));
    res.onData((chunk, last) => {
      chunks.push(Buffer.from(chunk.slice(0)));
      if (!last || aborted) return;
      const body = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString()));
      res.cork(() => res.writeHeader("content-type", "application/json").end(body));
    });
  })
  .get("/stream", (res) => {
    let aborted = false;
    let sent = 0;
    res.onAborted(() => (aborted = true));
    res.cork(() => res.writeHeader("content-type", "application/octet-stream"));
    // The uWS streaming idiom: tryEnd each chunk; when it does not fit, resume from onWritable's offset.
    const pump = () => {
      while (!aborted && sent < 16) {
        const base = res.getWriteOffset();
        let result = [false, false];
        res.cork(() => (result = res.tryEnd(CHUNK, TOTAL)));
        const [ok, done] = result;
        sent++;
        if (done) return;
        if (!ok) {
          res.onWritable((offset) => {
            const [fits, finished] = res.tryEnd(CHUNK.subarray(offset - base), TOTAL);
            if (fits && !finished) queueMicrotask(pump);
            return fits;
          });
          return;
        }
      }
    };
    pump();
  })
  .listen(host, port, (socket) => {
    if (!socket) throw new Error(`cannot listen on ${port}`);
    ready();
  });
