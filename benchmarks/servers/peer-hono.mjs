// @hono/node-server with its defaults (it replaces the global Request/Response).
import { serve } from "@hono/node-server";
import { host, makeApp, port, ready } from "./_app.mjs";

const app = makeApp();
serve({ fetch: (request) => app.fetch(request), hostname: host, port }, ready);
