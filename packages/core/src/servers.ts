/** A server anyserver knows by name: the one built in and the official adapter packages. */
export interface KnownServer {
  /** The name `-s` takes. */
  name: string;
  /** The package that provides it. */
  packageName: string;
  /** What it runs on, in a few words. */
  description: string;
}

/** Every official server; a test keeps this list in step with `packages/adapter-*`. */
export const knownServers: readonly KnownServer[] = [
  { name: "node", packageName: "@anyserver/core", description: "node:http and node:https, built in" },
];

export function findKnownServer(name: string): KnownServer | undefined {
  return knownServers.find((server) => server.name === name);
}
