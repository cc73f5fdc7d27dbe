import { connect } from "node:net";
import type { RunningServer } from "../src/index.ts";
import { type App, nodeAdapter, type ServeOptions, silentLogger } from "../src/index.ts";

/** Servers started by a test file; `closeAll` in afterEach so no port outlives its test. */
const started: RunningServer[] = [];

/** The node adapter on 127.0.0.1, any free port, quiet unless the test gives a logger. */
export async function startNode(app: App, options: ServeOptions = {}): Promise<RunningServer> {
  const server = await nodeAdapter.serve(app, {
    host: "127.0.0.1",
    port: 0,
    logger: silentLogger,
    ...options,
  });
  started.push(server);
  return server;
}

export async function closeAll(): Promise<void> {
  await Promise.all(started.splice(0).map((server) => server.close({ timeout: 1000 })));
}

/** One raw HTTP exchange on a fresh socket (ended after `request`); resolves with everything the server sent. */
export function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(request));
    let received = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk) => (received += chunk));
    socket.on("end", () => resolve(received));
    socket.on("error", reject);
  });
}
