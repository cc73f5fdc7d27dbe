// The app through an anyserver adapter: ADAPTER names it (node by default), VARIANT=fast uses FastResponse,
// ACCESS_LOG=1 adds what `anyserver serve -l FILE` adds (a combined-format line per request, to a file).
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { observe, serve, silentLogger } from "@anyserver/core";
import { host, makeApp, port, ready, responseClass } from "./_app.mjs";

const app = makeApp(await responseClass());
const logFile = join(tmpdir(), `anyserver-bench-access-${process.pid}.log`);
const observed = process.env.ACCESS_LOG ? await observe(app, { accessLog: { file: logFile } }) : { app };
process.on("exit", () => rmSync(logFile, { force: true }));

await serve(observed.app, {
  server: process.env.ADAPTER ?? "node",
  host,
  port,
  logger: silentLogger,
});
ready();
