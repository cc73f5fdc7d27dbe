#!/usr/bin/env node
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { AdapterResults } from "../results.ts";
import { orderAdapters, renderCompatibilityTable } from "./table.ts";

const USAGE = `Usage: anyserver-compat [--out FILE] [DIR_OR_JSON ...]

Writes the compatibility table (adapter × case) from conformance results.
With no paths, reads every .conformance/*.json in the workspace (found from the
current directory) and writes COMPATIBILITY.md at its root.`;

class UsageError extends Error {}

/** The workspace root: the nearest directory up with pnpm-workspace.yaml or .git, else the current one. */
function workspaceRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml")) || existsSync(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

/** `.conformance` folders at the root and up to two levels down (packages/x, apps/y). */
function findResultDirs(root: string): string[] {
  const found: string[] = [];
  const visit = (dir: string, depth: number) => {
    if (existsSync(join(dir, ".conformance"))) found.push(join(dir, ".conformance"));
    if (depth === 2) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && !entry.name.startsWith(".") && entry.name !== "node_modules") {
        visit(join(dir, entry.name), depth + 1);
      }
    }
  };
  visit(root, 0);
  return found;
}

function readResults(file: string): AdapterResults {
  let parsed: Partial<AdapterResults>;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(
      `${file} is not readable JSON (${(error as Error).message}). Delete it and rerun that adapter's tests.`,
    );
  }
  if (typeof parsed.adapter !== "string" || typeof parsed.cases !== "object" || parsed.cases === null) {
    throw new UsageError(
      `${file} is not a conformance results file. Delete it and rerun that adapter's tests.`,
    );
  }
  return parsed as AdapterResults;
}

function main(argv: string[]): void {
  let out: string | undefined;
  const inputs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--help" || argv[i] === "-h") return void console.log(USAGE);
    if (argv[i] === "--out") {
      out = argv[++i];
      if (out === undefined) throw new UsageError("--out needs a file name, e.g. --out COMPATIBILITY.md.");
    } else if (argv[i].startsWith("-"))
      throw new UsageError(`Unknown option ${argv[i]}. Run anyserver-compat --help.`);
    else inputs.push(resolve(argv[i]));
  }
  const root = workspaceRoot(process.cwd());
  const sources = inputs.length > 0 ? inputs : findResultDirs(root);
  const files = sources.flatMap((source) => {
    if (!existsSync(source))
      throw new UsageError(`${source} does not exist. Pass a .conformance folder or a results file.`);
    if (source.endsWith(".json")) return [source];
    return readdirSync(source)
      .filter((name) => name.endsWith(".json"))
      .map((name) => join(source, name));
  });
  if (files.length === 0) {
    throw new UsageError(
      `No conformance results found under ${root}. Run an adapter's conformance test first (pnpm test in its package).`,
    );
  }
  const byAdapter = new Map<string, AdapterResults>();
  for (const results of files.map(readResults)) {
    // The same adapter tested in two places: keep the newest run.
    const seen = byAdapter.get(results.adapter);
    if (seen === undefined || seen.date < results.date) byAdapter.set(results.adapter, results);
  }
  const runs = orderAdapters([...byAdapter.values()]);
  const target = resolve(out ?? join(root, "COMPATIBILITY.md"));
  writeFileSync(target, renderCompatibilityTable(runs));
  const names = runs.map((run) => run.adapter).join(", ");
  console.log(`[anyserver] Wrote ${relative(process.cwd(), target)}: ${names}.`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`[anyserver] ${error.message}`);
  process.exit(1);
}
