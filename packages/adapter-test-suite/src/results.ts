import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { ConformanceCase } from "./case.ts";

export type CaseStatus = "pass" | "fail" | "unsupported" | "not-run";

export interface CaseResult {
  title: string;
  area: string;
  status: CaseStatus;
  /** Why the adapter declares the case unsupported. */
  reason?: string;
  /** The first line of the failure. */
  error?: string;
}

/** One adapter's run, as written to `.conformance/<adapter>.json`. */
export interface AdapterResults {
  adapter: string;
  suiteVersion: string;
  node: string;
  date: string;
  cases: Record<string, CaseResult>;
}

export const suiteVersion: string = createRequire(import.meta.url)("../package.json").version;

/** Where results go: `$ANYSERVER_CONFORMANCE_DIR`, or `.conformance/` in the package of the test file. */
export function resultsFile(adapter: string, testFile: string | undefined): string {
  const dir =
    process.env.ANYSERVER_CONFORMANCE_DIR ?? join(packageRoot(testFile ?? process.cwd()), ".conformance");
  return join(dir, `${adapter.replace(/[^\w.-]/g, "_")}.json`);
}

function packageRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) return from;
    dir = parent;
  }
  return dir;
}

/** Collects one describeAdapter run's outcomes and writes them where the table generator finds them. */
export class ResultRecorder {
  readonly #adapter: string;
  readonly #cases: readonly ConformanceCase[];
  readonly #unsupported: Readonly<Record<string, string>>;
  readonly #outcomes = new Map<string, { status: "pass" | "fail"; error?: string }>();
  #testFile?: string;

  constructor(
    adapter: string,
    cases: readonly ConformanceCase[],
    unsupported: Readonly<Record<string, string>>,
  ) {
    this.#adapter = adapter;
    this.#cases = cases;
    this.#unsupported = unsupported;
  }

  /** The test file running the suite: its package is where the results go. */
  locate(testFile: string): void {
    this.#testFile ??= testFile;
  }

  passed(id: string): void {
    this.#outcomes.set(id, { status: "pass" });
  }

  failed(id: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#outcomes.set(id, { status: "fail", error: message.split("\n")[0] });
  }

  results(): AdapterResults {
    const cases: Record<string, CaseResult> = {};
    for (const { id, title, area } of this.#cases) {
      const reason = this.#unsupported[id];
      const outcome = this.#outcomes.get(id);
      if (reason !== undefined) cases[id] = { title, area, status: "unsupported", reason };
      else cases[id] = { title, area, ...(outcome ?? { status: "not-run" }) };
    }
    return {
      adapter: this.#adapter,
      suiteVersion,
      node: process.version,
      date: new Date().toISOString(),
      cases,
    };
  }

  /** Write the results file; returns its path. */
  write(): string {
    const file = resultsFile(this.#adapter, this.#testFile);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(this.results(), null, 2)}\n`);
    return file;
  }
}
