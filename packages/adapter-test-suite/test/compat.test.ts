import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type AdapterResults, type CaseResult, renderCompatibilityTable } from "../src/index.ts";

const cli = join(import.meta.dirname, "..", "dist", "compat.js");

function run(adapter: string, date: string, statuses: Record<string, Partial<CaseResult>>): AdapterResults {
  const cases: Record<string, CaseResult> = {};
  for (const [id, result] of Object.entries(statuses)) {
    cases[id] = { title: `does ${id}`, area: id.split("-")[0], status: "pass", ...result };
  }
  return { adapter, suiteVersion: "0.1.0", node: "v20.20.2", date, cases };
}

const node = run("node", "2026-01-02T00:00:00.000Z", { "method-get": {}, sse: {}, "error-throw": {} });
const zeta = run("zeta", "2026-01-03T00:00:00.000Z", {
  "method-get": {},
  sse: { status: "unsupported", reason: "zeta buffers | event streams" },
  "error-throw": { status: "fail", error: "expected 500" },
});

/** A workspace with results files, as adapters' test runs leave them. */
function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "anyserver-compat-"));
  writeFileSync(join(root, "pnpm-workspace.yaml"), "packages:\n  - packages/*\n");
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

function compat(cwd: string, args: string[] = []) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("compatibility table", () => {
  it("has one row per case and one column per adapter, node first, reasons as footnotes", () => {
    const table = renderCompatibilityTable([zeta, node]);
    // Columns are padded to line up: compare rows with runs of spaces squeezed.
    const lines = table.replace(/ +/g, " ").split("\n");
    expect(lines).toContain("| Area | Case | What it checks | node | zeta |");
    expect(lines).toContain("| method | `method-get` | does method-get | ✅ | ✅ |");
    expect(lines).toContain("| sse | `sse` | does sse | ✅ | ➖[^1] |");
    expect(lines).toContain("| error | `error-throw` | does error-throw | ✅ | ❌ |");
    expect(lines).toContain("| | | **Passing** | 3/3 | 1/3 |");
    expect(lines).toContain("[^1]: **zeta**: zeta buffers \\| event streams");
    expect(lines).toContain("- **node**: 2026-01-02, suite 0.1.0, Node v20.20.2");
  });

  it("gives each adapter's reason one footnote, however many cases it covers", () => {
    const reasons = run("zeta", "2026-01-03T00:00:00.000Z", {
      "ws-echo": { status: "unsupported", reason: "no sockets" },
      "ws-binary": { status: "unsupported", reason: "no sockets" },
      "h2-body": { status: "unsupported", reason: "no HTTP/2" },
    });
    const lines = renderCompatibilityTable([reasons]).replace(/ +/g, " ").split("\n");
    expect(lines).toContain("| ws | `ws-echo` | does ws-echo | ➖[^1] |");
    expect(lines).toContain("| ws | `ws-binary` | does ws-binary | ➖[^1] |");
    expect(lines).toContain("| h2 | `h2-body` | does h2-body | ➖[^2] |");
    expect(lines.filter((line) => line.startsWith("[^"))).toEqual([
      "[^1]: **zeta**: no sockets",
      "[^2]: **zeta**: no HTTP/2",
    ]);
  });

  it("pads columns as Biome does (emoji two wide), so the generated file passes the repository's lint", () => {
    const table = renderCompatibilityTable([zeta, node]);
    expect(table).toContain("| ------ | ------------- | ---------------- | :--: | :----: |");
    expect(table).toContain("| sse    | `sse`         | does sse         |  ✅  | ➖[^1] |");
  });

  it("marks a case an older run does not know as not run", () => {
    const older = run("old", "2025-01-01T00:00:00.000Z", { "method-get": {} });
    const lines = renderCompatibilityTable([node, older]).replace(/ +/g, " ").split("\n");
    expect(lines).toContain("| sse | `sse` | does sse | ✅ | · |");
  });
});

describe("anyserver-compat", () => {
  it("writes COMPATIBILITY.md at the workspace root from every package's .conformance folder", () => {
    const root = workspace({
      "packages/core/.conformance/node.json": JSON.stringify(node),
      "packages/adapter-zeta/.conformance/zeta.json": JSON.stringify(zeta),
    });
    const result = compat(join(root, "packages", "adapter-zeta"));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("[anyserver] Wrote ../../COMPATIBILITY.md: node, zeta.\n");
    expect(readFileSync(join(root, "COMPATIBILITY.md"), "utf8")).toBe(renderCompatibilityTable([node, zeta]));
  });

  it("takes explicit result files and --out", () => {
    const root = workspace({ "results/zeta.json": JSON.stringify(zeta) });
    const result = compat(root, ["--out", "table.md", "results/zeta.json"]);
    expect(result.code).toBe(0);
    expect(readFileSync(join(root, "table.md"), "utf8")).toContain(
      "| Area   | Case          | What it checks   |  zeta  |",
    );
  });

  it("says what to do when no results exist, and exits 1", () => {
    const root = workspace({});
    const result = compat(root);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `[anyserver] No conformance results found under ${root}. Run an adapter's conformance test first (pnpm test in its package).\n`,
    );
  });

  it("names a results file that is not one, and exits 1", () => {
    const root = workspace({ "packages/x/.conformance/x.json": '{"hello":1}' });
    const result = compat(root);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `[anyserver] ${join(root, "packages/x/.conformance/x.json")} is not a conformance results file. Delete it and rerun that adapter's tests.\n`,
    );
  });

  it("rejects an unknown option with one line, and exits 1", () => {
    const result = compat(workspace({}), ["--outt", "x.md"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("[anyserver] Unknown option --outt. Run anyserver-compat --help.\n");
  });
});
