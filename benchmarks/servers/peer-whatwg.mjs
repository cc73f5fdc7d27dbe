// @whatwg-node/server's adapter on node:http.
import { createServer } from "node:http";
import { createServerAdapter } from "@whatwg-node/server";
import { host, makeApp, port, ready } from "./_app.mjs";

const app = makeApp();
createServer(createServerAdapter((request) => app.fetch(request))).listen(port, host, ready);
