// The app through an anyserver adapter: ADAPTER names it (node by default), VARIANT=fast uses FastResponse.
import { serve, silentLogger } from "@anyserver/core";
import { host, makeApp, port, ready, responseClass } from "./_app.mjs";

await serve(makeApp(await responseClass()), {
  server: process.env.ADAPTER ?? "node",
  host,
  port,
  logger: silentLogger,
});
ready();
