import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const SERVERS = new URL("../servers/", import.meta.url);

/** One server process to measure. */
export interface Contender {
  /** Row label, e.g. "node (anyserver, FastResponse)". */
  label: string;
  /** The raw server this one is compared with (its own label). */
  baseline: string;
  kind: "raw" | "adapter" | "peer";
  script: URL;
  env: Record<string, string>;
  /** Packages the script needs; a contender whose packages are missing is reported, not run. */
  requires: string[];
  /** The row its "× own raw" ratio and goal are against, when not its baseline (the group it is measured in). */
  compareTo?: string;
}

function contender(
  label: string,
  baseline: string,
  kind: Contender["kind"],
  script: string,
  env: Record<string, string> = {},
  requires: string[] = [],
): Contender {
  return { label, baseline, kind, script: new URL(script, SERVERS), env, requires };
}

/** Every raw server and its adapter, both Response variants, and the peers on node:http. */
export const CONTENDERS: Contender[] = [
  contender("raw node:http", "raw node:http", "raw", "raw-node.mjs"),
  contender("node", "raw node:http", "adapter", "anyserver.mjs", { ADAPTER: "node" }),
  contender("node + FastResponse", "raw node:http", "adapter", "anyserver.mjs", {
    ADAPTER: "node",
    VARIANT: "fast",
  }),
  // What `anyserver serve -l FILE` adds: a combined-format access log line per request, to a file.
  {
    ...contender("node + FastResponse + -l", "raw node:http", "adapter", "anyserver.mjs", {
      ADAPTER: "node",
      VARIANT: "fast",
      ACCESS_LOG: "1",
    }),
    compareTo: "node + FastResponse",
  },
  contender("srvx", "raw node:http", "peer", "peer-srvx.mjs", {}, ["srvx"]),
  contender("srvx + FastResponse", "raw node:http", "peer", "peer-srvx.mjs", { VARIANT: "fast" }, ["srvx"]),
  contender("@hono/node-server", "raw node:http", "peer", "peer-hono.mjs", {}, ["@hono/node-server"]),
  contender("@whatwg-node/server", "raw node:http", "peer", "peer-whatwg.mjs", {}, ["@whatwg-node/server"]),
  ...serverPair("fastify", "fastify"),
  ...serverPair("express", "express"),
  ...serverPair("koa", "koa"),
  ...serverPair("uws", "uWebSockets.js"),
  ...serverPair("hyper-express", "hyper-express"),
];

/** A raw server, and the same server through its adapter with the global Response and FastResponse. */
function serverPair(name: string, nativePackage: string): Contender[] {
  const raw = `raw ${name}`;
  const adapter = `@anyserver/adapter-${name}`;
  return [
    contender(raw, raw, "raw", `raw-${name}.mjs`, {}, [nativePackage]),
    contender(name, raw, "adapter", "anyserver.mjs", { ADAPTER: name }, [adapter]),
    contender(`${name} + FastResponse`, raw, "adapter", "anyserver.mjs", { ADAPTER: name, VARIANT: "fast" }, [
      adapter,
    ]),
  ];
}

const require = createRequire(new URL("../package.json", import.meta.url));

/** Why a contender cannot run here (a missing package or script), or undefined when it can. */
export function unavailable(contender: Contender): string | undefined {
  if (!existsSync(contender.script)) return `no script ${contender.script.pathname.split("/").pop()}`;
  for (const name of contender.requires) {
    try {
      require.resolve(`${name}/package.json`);
    } catch {
      try {
        require.resolve(name);
      } catch {
        return `${name} is not installed in benchmarks/`;
      }
    }
  }
  return undefined;
}
