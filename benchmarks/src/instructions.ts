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
 * Requests per measurement: a warm-up, then the measured window on the same connections.
 * The JIT must be done by the window's start (single-threaded, its compiling is counted): after 2000
 * requests node + FastResponse still spent ~20k instructions per request compiling; by 10000 none.
 * New connections mid-run change hidden classes and trigger re-compiling, so the window reuses them.
 */
const REQUESTS: Record<BenchCase["id"], [warmUp: number, measured: number]> = {
  A: [10000, 5000],
  B: [10000, 5000],
  // Streams warm up slower: after 300 requests of 1 MiB, compiling was still most of the count.
  C: [5000, 1000],
};

// Exits through process.exit on SIGTERM, so valgrind writes its totals.
const EXIT_ON_TERM = 'data:text/javascript,process.on("SIGTERM",()=>process.exit(0))';
// One V8 thread: no background compiler or GC thread whose work would land in some runs and not others.
// Nothing is counted until the warm-up is over (callgrind_control switches counting on, then off).
const LAUNCHER = {
  command: ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--callgrind-out-file=/dev/null"],
  nodeFlags: ["--single-threaded", "--import", EXIT_ON_TERM],
};

/** Switch callgrind's counting in process `pid` on or off. */
function counting(pid: number, state: "on" | "off"): void {
  const result = spawnSync("callgrind_control", ["--instr", state, String(pid)], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`callgrind_control failed: ${result.stderr || result.stdout}`);
}

/**
 * Send `warmUp + measured` requests over 8 keep-alive connections, counting only the last `measured`;
 * resolves with the non-200 count.
 */
function drive(
  url: string,
  pid: number,
  benchCase: BenchCase,
  warmUp: number,
  measured: number,
): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const post = benchCase.id === "B";
  const count = warmUp + measured;
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
            done++;
            // Requests still in flight on the other connections at the switch even out at the end.
            if (done === warmUp) counting(pid, "on");
            if (done < count) return next();
            counting(pid, "off");
            agent.destroy();
            resolve(errors);
          });
        },
      );
      req.on("error", reject);
      req.end(post ? ECHO_BODY : undefined);
    };
    for (let i = 0; i < 8; i++) next();
  });
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
  const [warmUp, measured] = REQUESTS[benchCase.id];
  try {
    const server = await startServer(contender, await freePort(), undefined, LAUNCHER);
    try {
      const errors = await drive(server.url, server.child.pid!, benchCase, warmUp, measured);
      if (errors > 0) throw new Error(`${errors} of ${warmUp + measured} answers were not 200`);
    } finally {
      await server.stop("SIGTERM");
    }
    const collected = /Collected : (\d+)/.exec(server.stderr());
    if (!collected) throw new Error(`valgrind printed no total: ${server.stderr().trim().split("\n").pop()}`);
    return { ...row, perRequest: Number(collected[1]) / measured };
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
  `Measured ${new Date().toISOString().slice(0, 10)} with \`${command}\` on ${machine()}, ${valgrind}.`,
  "User-space instructions counted by valgrind's callgrind (node --single-threaded), per request, over a window of requests after a warm-up that lets the JIT finish, on the same 8 keep-alive connections. Repeatable to about 1 %, whatever else the machine runs; the kernel's share (socket syscalls) is not counted. Lower is better; `raw ÷ this` is the raw server's count over this one's.",
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
