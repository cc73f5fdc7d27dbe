import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { AdapterResults } from "../src/index.ts";

const vitestBin = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
const config = join(import.meta.dirname, "fixtures", "vitest.config.ts");

export interface VitestRun {
  code: number | null;
  output: string;
  /** The results file describeAdapter wrote for `adapter`. */
  results(adapter: string): AdapterResults;
}

/** Run one conformance file from test/fixtures in a child vitest, as an adapter author would. */
export function runConformance(file: string, filter: string): Promise<VitestRun> {
  const dir = mkdtempSync(join(tmpdir(), "anyserver-conformance-"));
  const child = spawn(
    process.execPath,
    [vitestBin, "run", "--config", config, "--reporter=verbose", "-t", filter, file],
    {
      env: { ...process.env, NO_COLOR: "1", ANYSERVER_CONFORMANCE_DIR: dir },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  return new Promise((resolve) => {
    child.on("close", (code) =>
      resolve({
        code,
        output,
        results: (adapter) => JSON.parse(readFileSync(join(dir, `${adapter}.json`), "utf8")),
      }),
    );
  });
}
