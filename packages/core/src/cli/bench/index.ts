import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { errorLine } from "../../logger.ts";
import { installCommand } from "../../package-manager.ts";
import { resolvePackage } from "../../resolve-package.ts";
import { findKnownServer, knownServers } from "../../servers.ts";
import { configArgs } from "../config-file.ts";
import { findEntry } from "../load-entry.ts";
import { type Interrupt, listenForInterrupt, signalExitCode } from "./interrupt.ts";
import { runLoad } from "./load.ts";
import { type BenchOptions, parseBenchOptions } from "./options.ts";
import { type BenchRow, formatHtml, formatTable } from "./report.ts";
import { startBenchServer } from "./server-process.ts";

// Gateways and Lambda do not listen for HTTP themselves: nothing to load-test directly.
const NOT_HTTP = new Set(["cgi", "fastcgi", "lambda"]);

/** `anyserver bench [entry]`: the user's app on several servers in turn, under the same load. */
export async function benchCommand(argv: string[], cwd: string): Promise<void> {
  const options = parseBenchOptions(argv, cwd);
  // The servers start with `serve`, which reads ./anyserver.config.*: its entry is the default here too.
  const entry = findEntry(options.entry ?? (await configArgs([], cwd, process.env)).entry, cwd);
  const servers = options.servers ?? installedServers(cwd);
  const say = (line: string) => process.stderr.write(`${line}\n`);
  say(
    `[anyserver] bench: ${servers.join(", ")} — ${options.method} ${options.path}, ${options.connections} connections, ${options.durationMs / 1000} s each after ${options.warmupMs / 1000} s of warm-up`,
  );
  const interrupt = listenForInterrupt();
  const rows: BenchRow[] = [];
  try {
    for (const server of servers) {
      if (interrupt.received()) break;
      rows.push(await benchServer(server, { entry, options, cwd, say }, interrupt));
    }
  } finally {
    interrupt.dispose();
  }
  process.stdout.write(`${formatTable(rows)}\n`);
  mkdirSync(options.out, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const json = join(options.out, `bench-${stamp}.json`);
  const html = join(options.out, `bench-${stamp}.html`);
  const { body, ...settings } = options;
  writeFileSync(
    json,
    `${JSON.stringify({ date: new Date().toISOString(), settings: { ...settings, entry, bodyBytes: body?.length }, rows }, null, 2)}\n`,
  );
  writeFileSync(html, formatHtml(rows, `anyserver bench — ${options.method} ${options.path}`));
  say(`[anyserver] bench: wrote ${json} and ${html}`);
  const flagged = rows.some((row) => row.figures && (row.figures.errors > 0 || row.figures.non2xx > 0));
  if (flagged)
    say("[anyserver] bench: some servers answered with errors or non-2xx statuses (flagged !! above).");
  const signal = interrupt.received();
  if (signal) {
    say(`[anyserver] bench: stopped by ${signal}; the report holds the servers measured before it.`);
    process.exitCode = signalExitCode(signal);
  }
}

interface BenchRun {
  entry: string;
  options: BenchOptions;
  cwd: string;
  say: (line: string) => void;
}

/** One server's row: measured, not installed, failed to start or run, or interrupted by a signal. */
async function benchServer(server: string, run: BenchRun, interrupt: Interrupt): Promise<BenchRow> {
  const { entry, options, cwd, say } = run;
  const known = findKnownServer(server);
  if (known && known.name !== "node" && !resolvePackage(known.packageName, cwd)) {
    say(`  ${server.padEnd(16)} not installed: ${installCommand(known.packageName, cwd)}`);
    return { server, status: "missing", note: installCommand(known.packageName, cwd) };
  }
  let running: Awaited<ReturnType<typeof startBenchServer>> | undefined;
  try {
    running = await startBenchServer(entry, server, cwd, interrupt.signal);
    const figures = await runLoad(running.url, options, server, interrupt.signal);
    say(`  ${server.padEnd(16)} ${Math.round(figures.requestsPerSecond)} req/s`);
    return { server, status: "measured", figures, rssMiB: running.rssMiB() };
  } catch (error) {
    const signal = interrupt.received();
    if (signal) {
      say(`  ${server.padEnd(16)} interrupted by ${signal}`);
      return { server, status: "interrupted", note: signal };
    }
    const reason = errorLine(error).replace(/^Error: /, "");
    say(`  ${server.padEnd(16)} failed: ${reason}`);
    return { server, status: "failed", note: reason };
  } finally {
    await running?.stop();
  }
}

/** Every known HTTP server installed in the project (node always is). */
function installedServers(cwd: string): string[] {
  return knownServers
    .filter((server) => !NOT_HTTP.has(server.name))
    .filter((server) => server.name === "node" || resolvePackage(server.packageName, cwd))
    .map((server) => server.name);
}
