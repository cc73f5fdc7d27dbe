// node:http written the fastest idiomatic way: no framework, one writeHead + end.
import { createServer } from "node:http";
import { host, port, ready } from "./_app.mjs";

const CHUNK = Buffer.alloc(64 * 1024, 120);

createServer((req, res) => {
  if (req.url === "/echo") {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const body = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString()));
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    });
    return;
  }
  if (req.url === "/stream") {
    res.writeHead(200, { "content-type": "application/octet-stream" });
    let sent = 0;
    const pump = () => {
      while (sent < 16) {
        sent++;
        if (sent === 16) return void res.end(CHUNK);
        if (!res.write(CHUNK)) return void res.once("drain", pump);
      }
    };
    return pump();
  }
  res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "content-length": 13 });
  res.end("Hello, World!");
}).listen(port, host, ready);
