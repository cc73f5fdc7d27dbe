import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import type { BenchCase } from "./cases.ts";
import { GOALS } from "./goals.ts";

/** One contender's medians in one case. */
export interface Row {
  label: string;
  baseline: string;
  /** The row `ownRatio` is against: its baseline unless the contender says otherwise. */
  compareTo: string;
  kind: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  rssMiB: number;
  errors: number;
  /** Ratio to its own raw server (or `compareTo`), measured in the same run. */
  ownRatio: number;
  /** Ratio to raw node:http, measured in the same run. */
  nodeRatio: number;
  goal?: string;
  met?: boolean;
}

export interface Report {
  date: string;
  command: string;
  machine: string;
  versions: Record<string, string>;
  settings: Record<string, number | string>;
  cases: { case: BenchCase; rows: Row[]; skipped: { label: string; reason: string }[] }[];
}

/** Judge a row against its goal, if it has one. */
export function withGoal(row: Row, caseId: BenchCase["id"]): Row {
  const goal = GOALS[row.label]?.[caseId];
  if (!goal) return row;
  const ratio = goal.versus === "own raw" ? row.ownRatio : row.nodeRatio;
  return {
    ...row,
    goal: `≥ ${goal.min} × ${goal.versus === "own raw" ? row.compareTo : goal.versus}`,
    met: ratio >= goal.min,
  };
}

/** The machine and Node.js version, and the tool that drove the load when given. */
export function machine(loadGenerator?: string): string {
  const host = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  return loadGenerator ? `${host}, ${loadGenerator}` : host;
}

const fixed = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "-");

function tableLines(rows: Row[]): string[] {
  const lines = [
    "| contender | req/s | × own raw | × node:http | p50 ms | p99 ms | RSS MiB | errors | goal |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const row of rows) {
    const goal = row.goal ? `${row.met ? "met" : "MISSED"} (${row.goal})` : "";
    lines.push(
      `| ${row.label} | ${Math.round(row.requestsPerSecond)} | ${fixed(row.ownRatio)} | ${fixed(row.nodeRatio)} | ${fixed(row.p50Ms)} | ${fixed(row.p99Ms)} | ${fixed(row.rssMiB, 1)} | ${row.errors} | ${goal} |`,
    );
  }
  return lines;
}

/** The terminal table: the same rows as RESULTS.md. */
export function printReport(report: Report): void {
  for (const { case: c, rows, skipped } of report.cases) {
    process.stdout.write(`\nCase ${c.id}: ${c.title}\n${tableLines(rows).join("\n")}\n`);
    for (const s of skipped) process.stdout.write(`  not run: ${s.label} (${s.reason})\n`);
  }
}

export function writeReport(report: Report, markdownPath: URL, jsonPath: URL): void {
  const lines = [
    "# Benchmark results",
    "",
    `Measured ${report.date} with \`${report.command}\` on ${report.machine}.`,
    `Settings: ${Object.entries(report.settings)
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ", ",
      )}. Medians over the rounds; raw and adapter runs interleaved; ratios are to a raw server measured in the same run.`,
    "",
    `Versions: ${Object.entries(report.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}.`,
  ];
  for (const { case: c, rows, skipped } of report.cases) {
    lines.push("", `## Case ${c.id}: ${c.title}`, "", ...tableLines(rows));
    for (const s of skipped) lines.push(`- not run: ${s.label} (${s.reason})`);
  }
  writeFileSync(markdownPath, `${lines.join("\n")}\n`);
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
}
