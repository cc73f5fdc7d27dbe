// Express 5 written the idiomatic way: express.json() and res.send.
import { Readable } from "node:stream";
import express from "express";
import { host, port, ready } from "./_app.mjs";

const CHUNK = Buffer.alloc(64 * 1024, 120);
const app = express();
app.disable("x-powered-by");
app.disable("etag");
app.get("/", (_req, res) => res.type("text/plain; charset=utf-8").send("Hello, World!"));
app.post("/echo", express.json(), (req, res) => res.json(req.body));
app.get("/stream", (_req, res) => {
  res.type("application/octet-stream");
  Readable.from(
    (function* () {
      for (let i = 0; i < 16; i++) yield CHUNK;
    })(),
  ).pipe(res);
});
app.listen(port, host, ready);
