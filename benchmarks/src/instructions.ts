// Instructions per request: each contender under valgrind's callgrind, a count that does not move with
// what else the machine runs (req/s on a shared VM varies ±20 % between identical runs; this varies ~1 %).
// User-space instructions only: the kernel's share (socket syscalls) is not counted, so ratios here
// are steeper than req/s ratios where the kernel dominates (a raw server's hello world).
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { parseArgs } from "node:util";
import { type BenchCase, CASES, ECHO_BODY } from "./cases.ts";
import { CONTENDERS, type Contender, unavailable } from "./contenders.ts";
import { machine } from "./report.ts";
import { freePort, startServer } from "./server-process.ts";

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    cases: { type: "string", default: "A,B" },
    parallel: { type: "string", default: "2" },
  },
});

/**
 * Requests per measurement: the count is (total after many − total after few) / the difference.
 * "Few" must be past the JIT's warm-up (single-threaded, compiling is counted): at 1000 it was not,
 * and raw node:http read 180k instructions per request instead of its steady 70k.
 */
const REQUESTS: Record<BenchCase["id"], [few: number, many: number]> = {
  A: [2000, 10000],
  B: [2000, 10000],
  C: [50, 250],
};

// Exits through process.exit on SIGTERM, so valgrind prints its totals.
const EXIT_ON_TERM = 'data:text/javascript,process.on("SIGTERM",()=>process.exit(0))';
// One V8 thread: no background compiler or GC thread whose work would land in some runs and not others.
const LAUNCHER = {
  command: ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"],
  nodeFlags: ["--single-threaded", "--import", EXIT_ON_TERM],
};

/** Send exactly `count` requests over 8 keep-alive connections; resolves with the non-200 count. */
function drive(url: string, benchCase: BenchCase, count: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const post = benchCase.id === "B";
  let sent = 0;
  let done = 0;
  let errors = 0;
  return new Promise((resolve, reject) => {
    const next = () => {
      if (sent >= count) return;
      sent++;
      const req = request(
        url + benchCase.path,
        { agent, method: post ? "POST" : "GET", headers: post ? { "content-type": "application/json" } : {} },
        (res) => {
          if (res.statusCode !== 200) errors++;
          res.resume();
          res.on("end", () => {
            if (++done === count) {
              agent.destroy();
              resolve(errors);
            } else next();
          });
        },
      );
      req.on("error", reject);
      req.end(post ? ECHO_BODY : undefined);
    };
    for (let i = 0; i < 8; i++) next();
  });
}

/** Total instructions of one server run that answered `count` requests. */
async function instructions(contender: Contender, benchCase: BenchCase, count: number): Promise<number> {
  const server = await startServer(contender, await freePort(), undefined, LAUNCHER);
  try {
    const errors = await drive(server.url, benchCase, count);
    if (errors > 0) throw new Error(`${errors} of ${count} answers were not 200`);
  } finally {
    await server.stop("SIGTERM");
  }
  const collected = /Collected : (\d+)/.exec(server.stderr());
  if (!collected) throw new Error(`valgrind printed no total: ${server.stderr().trim().split("\n").pop()}`);
  return Number(collected[1]);
}

interface Measured {
  label: string;
  baseline: string;
  compareTo: string;
  perRequest?: number;
  error?: string;
}

async function measure(contender: Contender, benchCase: BenchCase): Promise<Measured> {
  const row = {
    label: contender.label,
    baseline: contender.baseline,
    compareTo: contender.compareTo ?? contender.baseline,
  };
  const [few, many] = REQUESTS[benchCase.id];
  try {
    const low = await instructions(contender, benchCase, few);
    const high = await instructions(contender, benchCase, many);
    return { ...row, perRequest: (high - low) / (many - few) };
  } catch (error) {
    return { ...row, error: (error as Error).message.split("\n")[0] };
  }
}

/** A ratio to two decimals, or "-" when its raw server was not measured in this run. */
const ratio = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "-");

/** Run `tasks` with at most `limit` at once (each holds one core: valgrind runs one thread). */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

if (spawnSync("valgrind", ["--version"]).status !== 0) {
  process.stderr.write(
    "valgrind is not installed: apt-get install valgrind (Debian/Ubuntu), then run again\n",
  );
  process.exit(1);
}
const only = values.only?.split(",").map((s) => s.trim());
const listed = CONTENDERS.filter((c) => !only || only.includes(c.label) || only.includes(c.baseline));
const needed = new Set(listed.flatMap((c) => [c.label, c.baseline, c.compareTo ?? c.baseline]));
const wanted = CONTENDERS.filter((c) => needed.has(c.label) && !unavailable(c));
const cases = CASES.filter((c) => values.cases!.split(",").includes(c.id));

const valgrind = spawnSync("valgrind", ["--version"], { encoding: "utf8" }).stdout.trim();
const command = `pnpm bench:instructions ${process.argv.slice(2).join(" ")}`.trim();
const lines = [
  "# Instructions per request",
  "",
  `Measured ${new Date().toISOString().slice(0, 10)} with \`${command}\` on ${machine().replace(/, wrk .*$/, "")}, ${valgrind}.`,
  "User-space instructions counted by valgrind's callgrind (node --single-threaded), per request: (total after many requests − total after few) / the difference, over 8 keep-alive connections. Repeatable to about 1 %, whatever else the machine runs; the kernel's share (socket syscalls) is not counted. Lower is better; `raw ÷ this` is the raw server's count over this one's.",
  "",
];
const json: Record<string, Measured[]> = {};
for (const benchCase of cases) {
  process.stdout.write(`case ${benchCase.id}: ${wanted.length} contenders under callgrind…\n`);
  const rows = await pool(
    wanted.map((contender) => () => measure(contender, benchCase)),
    Number(values.parallel),
  );
  json[benchCase.id] = rows;
  const count = (label: string) => rows.find((r) => r.label === label)?.perRequest ?? Number.NaN;
  lines.push(`## Case ${benchCase.id}: ${benchCase.title}`, "");
  lines.push(
    "| contender | instructions / request | raw ÷ this | raw node:http ÷ this |",
    "|---|---:|---:|---:|",
  );
  for (const row of rows) {
    if (row.perRequest === undefined) {
      lines.push(`| ${row.label} | failed: ${row.error} | | |`);
      continue;
    }
    const own = count(row.compareTo) / row.perRequest;
    const node = count("raw node:http") / row.perRequest;
    lines.push(
      `| ${row.label} | ${Math.round(row.perRequest).toLocaleString("en")} | ${ratio(own)} | ${ratio(node)} |`,
    );
  }
  lines.push("");
}
const text = `${lines.join("\n")}`;
process.stdout.write(`\n${text}`);
writeFileSync(new URL("../RESULTS-instructions.md", import.meta.url), text);
writeFileSync(new URL("../results-instructions.json", import.meta.url), `${JSON.stringify(json, null, 2)}\n`);
process.stdout.write("wrote benchmarks/RESULTS-instructions.md and benchmarks/results-instructions.json\n");
