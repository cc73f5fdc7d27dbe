// Fastify written the idiomatic fast way: routes with reply.send, its own JSON parser.
import { Readable } from "node:stream";
import Fastify from "fastify";
import { host, port, ready } from "./_app.mjs";

const CHUNK = Buffer.alloc(64 * 1024, 120);
const app = Fastify({ logger: false });
app.get("/", (_request, reply) => reply.type("text/plain; charset=utf-8").send("Hello, World!"));
app.post("/echo", (request, reply) => reply.send(request.body));
app.get("/stream", (_request, reply) => {
  const chunks = Readable.from(
    (function* () {
      for (let i = 0; i < 16; i++) yield CHUNK;
    })(),
  );
  return reply.type("application/octet-stream").send(chunks);
});
await app.listen({ host, port });
ready();
