// WebSocket echo through an anyserver adapter: ADAPTER names it (node by default).
import { serve, silentLogger } from "@anyserver/core";
import { host, port, ready } from "./_app.mjs";
import { wsApp } from "./ws-app.mjs";

await serve(wsApp, { server: process.env.ADAPTER ?? "node", host, port, logger: silentLogger });
ready();
