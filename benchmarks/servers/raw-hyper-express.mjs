// HyperExpress written the idiomatic way: routes with res.send / res.json, request.json().
import { Readable } from "node:stream";
import HyperExpress from "hyper-express";
import { host, port, ready } from "./_app.mjs";

const CHUNK = Buffer.alloc(64 * 1024, 120);
const server = new HyperExpress.Server({ auto_close: false });
server.get("/", (_request, response) => response.type("text/plain; charset=utf-8").send("Hello, World!"));
server.post("/echo", async (request, response) => response.json(await request.json()));
server.get("/stream", (_request, response) => {
  response.type("application/octet-stream");
  response.stream(
    Readable.from(
      (function* () {
        for (let i = 0; i < 16; i++) yield CHUNK;
      })(),
    ),
  );
});
await server.listen(port, host);
ready();
