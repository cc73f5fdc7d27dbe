// srvx on node:http; VARIANT=fast uses its own opt-in FastResponse.
import { FastResponse, serve } from "srvx";
import { host, makeApp, port, ready } from "./_app.mjs";

const server = serve({
  ...makeApp(process.env.VARIANT === "fast" ? FastResponse : Response),
  hostname: host,
  port,
  silent: true,
});
await server.ready();
ready();
