import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { type Contender, unavailable } from "./contenders.ts";
import { machine } from "./report.ts";
import { freePort, type ServerProcess, startServer } from "./server-process.ts";
import { wsEcho } from "./ws-load.ts";

/**
 * `pnpm --filter benchmarks bench:ws`: WebSocket echo messages per second, raw ws vs `-s node`
 * and raw uWebSockets.js vs `-s uws`, interleaved round by round on loopback.
 */
const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    rounds: { type: "string", default: "3" },
    connections: { type: "string", default: "50" },
    "in-flight": { type: "string", default: "8" },
    bytes: { type: "string", default: "32" },
  },
});
const settings = {
  seconds: Number(values.seconds),
  rounds: Math.max(3, Number(values.rounds)),
  connections: Number(values.connections),
  inFlight: Number(values["in-flight"]),
  bytes: Number(values.bytes),
};
const payload = "x".repeat(settings.bytes);
const SERVERS = new URL("../servers/", import.meta.url);
const contender = (
  label: string,
  baseline: string,
  script: string,
  env: Record<string, string>,
  requires: string[],
) =>
  ({
    label,
    baseline,
    kind: label === baseline ? "raw" : "adapter",
    script: new URL(script, SERVERS),
    env,
    requires,
  }) satisfies Contender;

const GROUPS: Contender[][] = [
  [
    contender("raw ws (node:http)", "raw ws (node:http)", "ws-raw-node.mjs", {}, ["ws"]),
    contender("node", "raw ws (node:http)", "ws-anyserver.mjs", { ADAPTER: "node" }, []),
  ],
  [
    contender("raw uWebSockets.js", "raw uWebSockets.js", "ws-raw-uws.mjs", {}, ["uWebSockets.js"]),
    contender("uws", "raw uWebSockets.js", "ws-anyserver.mjs", { ADAPTER: "uws" }, [
      "@anyserver/adapter-uws",
    ]),
  ],
];

// Servers on core 0, this process (the load) on core 1, as the HTTP benchmark pins wrk.
const pinned = cpus().length >= 2 && existsSync("/usr/bin/taskset");
if (pinned) execFileSync("taskset", ["-a", "-p", "-c", "1", String(process.pid)], { stdio: "ignore" });

interface Row {
  label: string;
  baseline: string;
  messagesPerSecond: number;
  ratio: number;
  errors: number;
}

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[numbers.length >> 1];

const load = (server: ServerProcess, seconds: number) =>
  wsEcho({ url: server.url.replace(/^http/, "ws"), ...settings, payload, seconds });

async function measure(group: Contender[], skipped: string[]): Promise<Row[]> {
  const servers = new Map<Contender, ServerProcess>();
  const runs = new Map<Contender, { rates: number[]; errors: number }>();
  try {
    for (const each of group) {
      const missing = unavailable(each);
      if (missing) {
        skipped.push(`${each.label}: ${missing}`);
        continue;
      }
      const server = await startServer(each, await freePort(), pinned ? 0 : undefined);
      servers.set(each, server);
      runs.set(each, { rates: [], errors: 0 });
      await load(server, 1);
    }
    for (let round = 1; round <= settings.rounds; round++) {
      for (const [each, server] of servers) {
        process.stdout.write(`  ${each.label}: round ${round}/${settings.rounds}\n`);
        const result = await load(server, settings.seconds);
        runs.get(each)!.rates.push(result.messagesPerSecond);
        runs.get(each)!.errors += result.errors;
      }
    }
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()));
  }
  const rows = [...runs].map(([each, run]) => ({
    label: each.label,
    baseline: each.baseline,
    messagesPerSecond: median(run.rates),
    ratio: 1,
    errors: run.errors,
  }));
  const raw = rows.find((row) => row.label === row.baseline);
  for (const row of rows) row.ratio = raw ? row.messagesPerSecond / raw.messagesPerSecond : Number.NaN;
  return rows;
}

const rows: Row[] = [];
const skipped: string[] = [];
process.stdout.write(
  `WebSocket echo: ${settings.connections} sockets × ${settings.inFlight} in flight, ${settings.bytes}-byte text, ${settings.rounds} × ${settings.seconds} s\n`,
);
for (const group of GROUPS) rows.push(...(await measure(group, skipped)));

const lines = [
  "| server | echoes/s | × its raw server | errors |",
  "| --- | ---: | ---: | ---: |",
  ...rows.map(
    (row) =>
      `| ${row.label} | ${Math.round(row.messagesPerSecond).toLocaleString("en")} | ${row.ratio.toFixed(2)} | ${row.errors} |`,
  ),
];
process.stdout.write(`\n${lines.join("\n")}\n${skipped.map((line) => `not run: ${line}\n`).join("")}`);
process.stdout.write(`${machine()}\n`);
writeFileSync(
  new URL("../results-websocket.json", import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), machine: machine(), settings, rows, skipped }, null, 2)}\n`,
);
