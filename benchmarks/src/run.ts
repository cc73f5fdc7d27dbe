import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { type BenchCase, CASES } from "./cases.ts";
import { CONTENDERS, type Contender, unavailable } from "./contenders.ts";
import { type LoadResult, pickLoadGenerator } from "./load.ts";
import { machine, printReport, type Report, type Row, withGoal, writeReport } from "./report.ts";
import { freePort, type ServerProcess, startServer } from "./server-process.ts";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    warmup: { type: "string", default: "2" },
    rounds: { type: "string", default: "3" },
    connections: { type: "string", default: "50" },
    only: { type: "string" },
    cases: { type: "string", default: "A,B,C" },
  },
});
const settings = {
  seconds: Number(values.seconds),
  warmup: Number(values.warmup),
  rounds: Math.max(3, Number(values.rounds)),
  connections: Number(values.connections),
};
const generator = pickLoadGenerator();
if (generator.name !== "wrk") {
  process.stdout.write(
    "wrk is not installed (apt-get install wrk): measuring with autocannon, which saturates sooner on the fastest servers.\n",
  );
}
// Two or more cores: the servers on core 0, the load generator on core 1, so they do not share a core.
const pin = cpus().length >= 2 && existsSync("/usr/bin/taskset") ? { server: 0, load: 1 } : undefined;

/** One progress line, redrawn in place on a terminal, printed once per group elsewhere. */
function progress(text: string): void {
  if (process.stdout.isTTY) process.stdout.write(`\r${text.padEnd(72)}\r`);
  else if (text.includes("round 1/")) process.stdout.write(`  ${text}\n`);
}

type Skipped = { label: string; reason: string };

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function load(server: ServerProcess, benchCase: BenchCase, seconds: number): Promise<LoadResult> {
  return generator.run({
    url: server.url + benchCase.path,
    seconds,
    connections: settings.connections,
    request: benchCase.request,
    cpu: pin?.load,
  });
}

/** Measure one raw server and everything compared with it, interleaved round by round. */
async function measureGroup(group: Contender[], benchCase: BenchCase, skipped: Skipped[]): Promise<Row[]> {
  const servers = new Map<Contender, ServerProcess>();
  const results = new Map<Contender, { load: LoadResult[]; rss: number[] }>();
  try {
    for (const contender of group) {
      try {
        const server = await startServer(contender, await freePort(), pin?.server);
        servers.set(contender, server);
        results.set(contender, { load: [], rss: [] });
        await load(server, benchCase, settings.warmup);
      } catch (error) {
        // One server that fails to start is reported; the others still run.
        skipped.push({
          label: contender.label,
          reason: `failed to start: ${(error as Error).message.split("\n")[0]}`,
        });
      }
    }
    for (let round = 1; round <= settings.rounds; round++) {
      for (const contender of group.filter((c) => servers.has(c))) {
        progress(`case ${benchCase.id}, round ${round}/${settings.rounds}: ${contender.label}`);
        const server = servers.get(contender)!;
        results.get(contender)!.load.push(await load(server, benchCase, settings.seconds));
        results.get(contender)!.rss.push(server.rssMiB());
      }
    }
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()));
    progress("");
  }
  return group
    .filter((c) => results.has(c))
    .map((contender) => {
      const { load: runs, rss } = results.get(contender)!;
      return {
        label: contender.label,
        baseline: contender.baseline,
        compareTo: contender.compareTo ?? contender.baseline,
        kind: contender.kind,
        requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
        p50Ms: median(runs.map((r) => r.p50Ms)),
        p99Ms: median(runs.map((r) => r.p99Ms)),
        rssMiB: median(rss),
        errors: runs.reduce((sum, r) => sum + r.errors, 0),
        ownRatio: Number.NaN,
        nodeRatio: Number.NaN,
      };
    });
}

function versions(): Record<string, string> {
  const require = createRequire(new URL("../package.json", import.meta.url));
  const found: Record<string, string> = {};
  for (const name of [
    "@anyserver/core",
    "srvx",
    "@hono/node-server",
    "@whatwg-node/server",
    "fastify",
    "express",
    "koa",
    "hyper-express",
    "uWebSockets.js",
  ]) {
    try {
      found[name] = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")).version;
    } catch {}
  }
  return found;
}

const only = values.only?.split(",").map((s) => s.trim());
const listed = CONTENDERS.filter((c) => !only || only.includes(c.label) || only.includes(c.baseline));
// A listed contender brings what it is measured and compared with.
const needed = new Set(listed.flatMap((c) => [c.label, c.baseline, c.compareTo ?? c.baseline]));
const wanted = CONTENDERS.filter((c) => needed.has(c.label));
const report: Report = {
  date: new Date().toISOString().slice(0, 10),
  command: `pnpm bench ${process.argv.slice(2).join(" ")}`.trim(),
  machine: machine(generator.version),
  versions: versions(),
  settings: { ...settings, pinned: pin ? `server cpu 0, ${generator.name} cpu 1` : "no" },
  cases: [],
};
for (const benchCase of CASES.filter((c) => values.cases!.split(",").includes(c.id))) {
  const runnable = wanted.filter((c) => !unavailable(c));
  const skipped: Skipped[] = wanted
    .filter((c) => unavailable(c))
    .map((c) => ({ label: c.label, reason: unavailable(c)! }));
  const rows: Row[] = [];
  for (const baseline of [...new Set(runnable.map((c) => c.baseline))]) {
    const group = runnable.filter((c) => c.baseline === baseline);
    if (!group.some((c) => c.label === baseline)) {
      skipped.push(
        ...group.map((c) => ({ label: c.label, reason: `its baseline ${baseline} is not runnable` })),
      );
      continue;
    }
    rows.push(...(await measureGroup(group, benchCase, skipped)));
  }
  const rps = (label: string) => rows.find((r) => r.label === label)?.requestsPerSecond ?? Number.NaN;
  const judged = rows.map((row) =>
    withGoal(
      {
        ...row,
        ownRatio: row.requestsPerSecond / rps(row.compareTo),
        nodeRatio: row.requestsPerSecond / rps("raw node:http"),
      },
      benchCase.id,
    ),
  );
  report.cases.push({ case: benchCase, rows: judged, skipped });
}
printReport(report);
writeReport(report, new URL("../RESULTS.md", import.meta.url), new URL("../results.json", import.meta.url));
process.stdout.write("\nwrote benchmarks/RESULTS.md and benchmarks/results.json\n");
