import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type WsClient, WsClients } from "@anyserver/adapter-test-suite";
import { afterEach, describe, expect, it } from "vitest";
import { collect, runCli, startCli, waitForReady } from "./_cli.ts";
import { type Fleet, requireBuilt, SERVERS, startFleet } from "./supervisor/_fleet.ts";

const APP = fileURLToPath(new URL("./fixtures/websocket/app.mjs", import.meta.url));
const adapter = (folder: string) => fileURLToPath(new URL(`../../${folder}/dist/index.js`, import.meta.url));

let clients: WsClients | undefined;
let fleet: Fleet | undefined;
afterEach(async () => {
  clients?.dispose();
  clients = undefined;
  await fleet?.kill();
  fleet = undefined;
});

/** A socket on `url`, with the pid of the worker that took it (the app's first message). */
async function join(url: URL): Promise<{ client: WsClient; pid: string }> {
  clients ??= new WsClients(Number(url.port));
  const client = await clients.open("/chat");
  return { client, pid: await client.text() };
}

describe("anyserver serve with a websocket app", () => {
  it.each([
    ["cgi", "a CGI program gets the request body and writes one response, never the connection"],
    [
      "lambda",
      "Lambda's HTTP events carry no WebSocket upgrade (API Gateway WebSocket APIs send one event per message)",
    ],
  ])("refuses to start it on -s %s with one line and exit 1", async (folder, reason) => {
    const server = adapter(`adapter-${folder}`);
    if (!existsSync(server)) throw new Error(`${server} is missing: build it first (pnpm turbo run build).`);
    const result = await runCli(["serve", APP, "-s", server, "-p", "0"]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n").at(-1)).toBe(
      `[anyserver] Server "${folder}" cannot carry WebSockets: ${reason}. Serve this app with -s node, fastify, express, koa, uws or hyper-express, or remove its websocket hooks.`,
    );
  });

  it("keeps the hooks behind --health and -l, closes its sockets with 1001 on SIGTERM and exits 0", async () => {
    const child = startCli(["serve", APP, "-p", "0", "--health", "/healthz", "-l"]);
    const done = collect(child);
    const url = await waitForReady(child);
    expect((await fetch(new URL("/healthz", url))).status).toBe(200);
    const { client, pid } = await join(url);
    expect(pid).toBe(`pid ${child.pid}`);
    child.kill("SIGTERM");
    expect(await client.closeEvent()).toEqual({ code: 1001, reason: "Server is shutting down" });
    expect((await done).code).toBe(0);
  });
});

describe.each([
  ["node", SERVERS.node],
  ["uws", SERVERS.uws],
])("-w 2 -s %s with a websocket app", (_name, server) => {
  it("publishes to the subscribers of every worker, and closes sockets with 1001 on a SIGHUP reload", async () => {
    requireBuilt(server);
    fleet = await startFleet([APP, "-s", server, "-w", "2", "-p", "0"]);
    // Connections are spread by node:cluster (node) or the kernel (uws): join until both workers have one.
    const first = await join(fleet.url);
    let second = await join(fleet.url);
    for (let attempt = 0; second.pid === first.pid && attempt < 40; attempt++) second = await join(fleet.url);
    expect(second.pid, "40 sockets all landed on one worker").not.toBe(first.pid);

    first.client.socket.send(`hello from ${first.pid}`);
    expect(await second.client.text()).toBe(`hello from ${first.pid}`);
    second.client.socket.send(`hello from ${second.pid}`);
    expect(await first.client.text()).toBe(`hello from ${second.pid}`);

    fleet.child.kill("SIGHUP");
    expect(await first.client.closeEvent(20_000)).toEqual({ code: 1001, reason: "Server is shutting down" });
    expect((await second.client.closeEvent(20_000)).code).toBe(1001);
    await fleet.waitForLine(/reloaded: workers/, 20_000);
    const fresh = await join(fleet.url);
    expect([first.pid, second.pid]).not.toContain(fresh.pid);
  });
});
