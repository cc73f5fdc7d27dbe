// Koa 3 written the idiomatic way: one middleware setting ctx.body.
import { Readable } from "node:stream";
import Koa from "koa";
import { host, port, ready } from "./_app.mjs";

const CHUNK = Buffer.alloc(64 * 1024, 120);

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
    req.on("error", reject);
  });
}

const app = new Koa();
app.use(async (ctx) => {
  if (ctx.path === "/echo") {
    ctx.body = await readJson(ctx.req);
  } else if (ctx.path === "/stream") {
    ctx.type = "application/octet-stream";
    ctx.body = Readable.from(
      (function* () {
        for (let i = 0; i < 16; i++) yield CHUNK;
      })(),
    );
  } else {
    ctx.type = "text/plain; charset=utf-8";
    ctx.body = "Hello, World!";
  }
});
app.listen(port, host, ready);
