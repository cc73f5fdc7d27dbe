import { createServer } from "node:net";

/**
 * A port free on 127.0.0.1 a moment ago, for a server that must be given one (a host binding it
 * itself, a restart that keeps its port). Another process may take it first: retry on EADDRINUSE.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
