import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { collect, HELLO_APP, project, runCli, startCli } from "./_cli.ts";
import { alive, sleep } from "./supervisor/_fleet.ts";

const coreEntry = pathToFileURL(new URL("../dist/index.js", import.meta.url).pathname).href;

/** Wait (bounded) until the app under bench has written `file`, and return what it wrote. */
async function written(file: string): Promise<string> {
  for (let i = 0; i < 400 && !existsSync(file); i++) await sleep(50);
  return readFileSync(file, "utf8");
}

/** The report `anyserver bench` wrote in `dir` (the only run there), by its extension. */
function report(dir: string, extension: "json" | "html"): string {
  const outDir = join(dir, "anyserver-bench");
  return readFileSync(join(outDir, readdirSync(outDir).find((f) => f.endsWith(`.${extension}`))!), "utf8");
}

/** Run `anyserver bench args` in `dir` and send it `signal` once the app has written its pid to `pidFile`. */
async function interruptedBench(dir: string, args: string[], pidFile: string, signal: NodeJS.Signals) {
  const bench = startCli(["bench", ...args], { cwd: dir });
  const done = collect(bench);
  const pid = Number(await written(join(dir, pidFile)));
  bench.kill(signal);
  return { result: await done, pid };
}

/** A second server for the comparison: node:http through core's bridge, loaded by path like a user's own adapter. */
const PATH_ADAPTER = `import { createServer } from "node:http";
import { createNodeBridge, defineAdapter } from "${coreEntry}";
export default defineAdapter({
  name: "plain",
  async serve(app, options) {
    const bridge = createNodeBridge(app, { ...options, adapter: "plain" });
    const server = createServer(bridge.handle);
    await new Promise((resolve) => server.listen(options.port, options.host, resolve));
    return bridge.running(server);
  },
});
`;

describe("anyserver bench", () => {
  it("compares two servers, reports a missing one, and writes JSON and HTML that match the load results", async () => {
    const dir = project({
      "app.ts": HELLO_APP,
      "plain-adapter.mjs": PATH_ADAPTER,
      "package-lock.json": "{}",
    });
    const result = await runCli(
      [
        "bench",
        "app.ts",
        "-s",
        "node,./plain-adapter.mjs,fastify",
        "-d",
        "1s",
        "--warmup",
        "200ms",
        "-c",
        "4",
      ],
      { cwd: dir },
    );
    expect(result.stderr).not.toContain("failed");
    expect(result.code).toBe(0);

    const json = JSON.parse(report(dir, "json"));
    const html = report(dir, "html");

    const byServer = Object.fromEntries(json.rows.map((row: { server: string }) => [row.server, row]));
    expect(byServer.fastify).toEqual({
      server: "fastify",
      status: "missing",
      note: "npm install @anyserver/adapter-fastify",
    });
    for (const name of ["node", "./plain-adapter.mjs"]) {
      const row = byServer[name];
      expect(row.status).toBe("measured");
      // The figures are autocannon's own, not re-derived.
      expect(row.figures.requestsPerSecond).toBe(row.figures.raw.requests.average);
      expect(row.figures.p99Ms).toBe(row.figures.raw.latency.p99);
      expect(row.figures.requests).toBeGreaterThan(0);
      expect(row.figures.errors).toBe(0);
      expect(row.figures.non2xx).toBe(0);
      // The terminal table and the HTML show the same req/s.
      const rps = row.figures.requestsPerSecond.toFixed(0);
      expect(result.stdout).toMatch(new RegExp(`^${name.replace(/[./]/g, "\\$&")}\\s+${rps}\\s`, "m"));
      expect(html).toContain(`${rps} req/s`);
    }
    expect(result.stdout).toMatch(/^fastify\s.*missing: npm install @anyserver\/adapter-fastify$/m);
    expect(html).toMatch(/^<!doctype html>/);
    // Opens offline: nothing is fetched from anywhere.
    expect(html).not.toMatch(/<script|<link|\s(src|href)=/);
  });

  it("reports a server that fails to start and still runs the others", async () => {
    const dir = project({
      "app.ts": HELLO_APP,
      "broken-adapter.mjs": 'throw new Error("no server here");\n',
    });
    const result = await runCli(
      ["bench", "app.ts", "-s", "./broken-adapter.mjs,node", "-d", "500ms", "--warmup", "0", "-c", "2"],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      './broken-adapter.mjs failed: Loading server "./broken-adapter.mjs" failed: no server here',
    );
    expect(result.stdout).toMatch(/^node\s+\d+/m);
  });

  it("flags non-2xx answers as errors", async () => {
    const dir = project({ "app.js": 'export default () => new Response("nope", { status: 503 });\n' });
    const result = await runCli(["bench", "-s", "node", "-d", "500ms", "--warmup", "0", "-c", "2"], {
      cwd: dir,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^node\s.*!! errors$/m);
  });

  it("measures after the warm-up: what the server answered while warming up is not counted", async () => {
    // A server that answers 503 to its first 100 requests, the way a cold cache or JIT would be slow.
    const dir = project({
      "app.js":
        'let seen = 0;\nexport default () => new Response("hi", { status: ++seen <= 100 ? 503 : 200 });\n',
    });
    const warmed = await runCli(["bench", "-s", "node", "-d", "500ms", "--warmup", "500ms", "-c", "2"], {
      cwd: dir,
    });
    expect(warmed.code).toBe(0);
    expect(warmed.stderr).toContain("GET /, 2 connections, 0.5 s each after 0.5 s of warm-up");
    expect(warmed.stdout).toMatch(/^node\s+\d+\s+<?\d+\s+<?\d+\s+0\s+0\s+[\d.]+$/m);
    const cold = await runCli(["bench", "-s", "node", "-d", "500ms", "--warmup", "0", "-c", "2"], {
      cwd: dir,
    });
    expect(cold.stdout).toMatch(/^node\s+\d+\s+<?\d+\s+<?\d+\s+0\s+100\s+[\d.]+\s+!! errors$/m);
  });

  it("benches the entry ./anyserver.config.json names", async () => {
    const dir = project({
      "service/main.js": 'export default () => new Response("from the config entry");\n',
      "anyserver.config.json": '{ "entry": "service/main.js" }',
    });
    const result = await runCli(["bench", "-s", "node", "-d", "300ms", "--warmup", "0", "-c", "1"], {
      cwd: dir,
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("[anyserver] bench: node — GET /, 1 connections, 0.3 s each");
    expect(result.stdout).toMatch(/^node\s+\d+\s+<?\d+\s+<?\d+\s+0\s+0\s+[\d.]+$/m);
  });

  it("rejects a zero --duration in one line", async () => {
    const dir = project({ "app.ts": HELLO_APP });
    const result = await runCli(["bench", "-d", "0"], { cwd: dir });
    expect(result).toMatchObject({
      code: 1,
      stderr: '[anyserver] Invalid --duration "0": measure for at least 1ms (10s is the default).\n',
    });
  });

  it("rejects a bad --connections value in one line", async () => {
    const dir = project({ "app.ts": HELLO_APP });
    const result = await runCli(["bench", "-c", "zero"], { cwd: dir });
    expect(result).toMatchObject({
      code: 1,
      stderr: '[anyserver] Invalid --connections "zero": use a whole number from 1 to 10000.\n',
    });
  });

  it("stops on SIGTERM: the server under load is stopped, the next never starts, the report says so", async () => {
    const dir = project({
      "app.mjs":
        'import { writeFileSync } from "node:fs";\nlet first = true;\nexport default () => {\n  if (first) writeFileSync("serving.pid", String(process.pid));\n  first = false;\n  return new Response("hi");\n};\n',
      "second-adapter.mjs":
        'import { writeFileSync } from "node:fs";\nwriteFileSync("second.started", "");\n',
    });
    const { result, pid: server } = await interruptedBench(
      dir,
      ["app.mjs", "-s", "node,./second-adapter.mjs", "-d", "60s", "-c", "2"],
      "serving.pid",
      "SIGTERM",
    );

    expect(result.code).toBe(143);
    expect(result.stderr).toContain("\n  node             interrupted by SIGTERM\n");
    expect(result.stderr).toContain(
      "\n[anyserver] bench: stopped by SIGTERM; the report holds the servers measured before it.\n",
    );
    expect(result.stdout).toMatch(/^node\s+-\s+-\s+-\s+-\s+-\s+-\s+interrupted: SIGTERM$/m);
    expect(alive(server)).toBe(false);
    expect(existsSync(join(dir, "second.started"))).toBe(false);
    expect(JSON.parse(report(dir, "json")).rows).toEqual([
      { server: "node", status: "interrupted", note: "SIGTERM" },
    ]);
  });

  it("stops on SIGINT a server still loading the app, instead of waiting for it", async () => {
    const dir = project({
      "app.mjs":
        'import { writeFileSync } from "node:fs";\nwriteFileSync("loading.pid", String(process.pid));\nawait new Promise(() => setInterval(() => {}, 1000));\nexport default () => new Response("never");\n',
    });
    const { result, pid: loading } = await interruptedBench(
      dir,
      ["app.mjs", "-s", "node", "-d", "1s"],
      "loading.pid",
      "SIGINT",
    );

    expect(result.code).toBe(130);
    expect(result.stderr).toContain("\n  node             interrupted by SIGINT\n");
    expect(alive(loading)).toBe(false);
  });
});
