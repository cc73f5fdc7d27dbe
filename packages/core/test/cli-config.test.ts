import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collect, freePort, HELLO_APP, project, runCli, startCli, waitForReady } from "./_cli.ts";

/** Serve in `dir` with `args`, fetch `path`, stop with SIGTERM: the ready URL, the answer and what was printed. */
async function serveOnce(dir: string, args: string[], path: string, env: Record<string, string> = {}) {
  const child = startCli(["serve", ...args], { cwd: dir, env });
  const done = collect(child);
  const url = await waitForReady(child);
  const response = await fetch(new URL(path, url));
  const body = await response.text();
  child.kill("SIGTERM");
  const result = await done;
  return { url, status: response.status, body, ...result };
}

describe("anyserver serve with a config file", () => {
  it("takes entry and flags from ./anyserver.config.json", async () => {
    const dir = project({
      "src/main.ts": HELLO_APP,
      "anyserver.config.json": JSON.stringify({
        entry: "src/main.ts",
        port: 0,
        health: "/healthz",
        log: true,
        logFormat: "common",
      }),
    });
    const run = await serveOnce(dir, [], "/healthz");
    expect(run.status).toBe(200);
    expect(run.code).toBe(0);
    // Common format: no rt= or pid= after the size.
    expect(run.stdout).toMatch(/^127\.0\.0\.1 - - \[[^\]]+\] "GET \/healthz HTTP\/1\.1" 200 \d+\n$/);
  });

  it("lets flags win over $PORT, and $PORT over the file", async () => {
    const [filePort, envPort] = [await freePort(), await freePort()];
    const dir = project({
      "app.ts": HELLO_APP,
      "anyserver.config.ts": `export default { port: ${filePort} };\n`,
    });
    expect((await serveOnce(dir, [], "/")).url.port).toBe(String(filePort));
    expect((await serveOnce(dir, [], "/", { PORT: String(envPort) })).url.port).toBe(String(envPort));
    const flagged = await serveOnce(dir, ["-p", "0"], "/a", { PORT: String(envPort) });
    expect([String(filePort), String(envPort)]).not.toContain(flagged.url.port);
    expect(flagged.body).toBe("hello from /a");
  });

  it("reads the file --config names, and the entry given on the command line wins over its entry", async () => {
    const dir = project({
      "app.ts": HELLO_APP,
      "other.mjs": 'export default () => new Response("other");\n',
      "deploy/prod.mjs": 'export default { entry: "../other.mjs", port: 0, trustProxy: true };\n',
    });
    expect((await serveOnce(dir, ["--config", "deploy/prod.mjs"], "/")).body).toBe("other");
    expect((await serveOnce(dir, ["app.ts", "--config=deploy/prod.mjs"], "/b")).body).toBe("hello from /b");
  });

  it("resolves the paths in the file against its folder, not the current one", async () => {
    const dir = project({
      "site/app.mjs": 'export default () => new Response("site app");\n',
      "site/anyserver.config.json": JSON.stringify({ entry: "app.mjs", port: 0, log: "logs/access.log" }),
    });
    mkdirSync(join(dir, "site", "logs"));
    const run = await serveOnce(dir, ["--config", "site/anyserver.config.json"], "/where");
    expect([run.status, run.body, run.code]).toEqual([200, "site app", 0]);
    expect(readFileSync(join(dir, "site", "logs", "access.log"), "utf8")).toContain(
      '"GET /where HTTP/1.1" 200 8',
    );
    expect(existsSync(join(dir, "logs"))).toBe(false);
  });

  it("ignores a setting of the file for --no-NAME, and refuses --no- of what is no setting", async () => {
    const dir = project({
      "app.ts": HELLO_APP,
      "anyserver.config.json": JSON.stringify({ port: 0, health: "/healthz", trustProxy: true }),
    });
    expect((await serveOnce(dir, [], "/healthz")).body).not.toBe("hello from /healthz");
    const dropped = await serveOnce(dir, ["--no-health", "--no-trust-proxy"], "/healthz");
    expect([dropped.status, dropped.body, dropped.code]).toEqual([200, "hello from /healthz", 0]);
    // --no-config: the file is not read at all (its health path is gone, its port too).
    expect((await serveOnce(dir, ["--no-config", "-p", "0"], "/healthz")).body).toBe("hello from /healthz");
    const both = await runCli(["serve", "--no-config", "--config", "anyserver.config.json"], { cwd: dir });
    expect([both.code, both.stderr]).toEqual([
      1,
      "[anyserver] --config FILE and --no-config contradict each other: keep one.\n",
    ]);
    const bogus = await runCli(["serve", "--no-such-thing"], { cwd: dir });
    expect(bogus.code).toBe(1);
    expect(bogus.stderr).toBe(
      '[anyserver] Unknown option --no-such-thing. Run "anyserver --help" to see the options.\n',
    );
  });

  it("says in one line what is wrong with the file, and exits 1", async () => {
    const dir = project({
      "app.ts": HELLO_APP,
      "typo.json": '{ "prot": 8080 }',
      "object.json": '{ "port": { "value": 8080 } }',
      "flag.json": '{ "trustProxy": "yes" }',
      "broken.json": "{ port: 8080 }",
      "list.json": "[8080]",
    });
    const lines = {
      "typo.json":
        'Unknown setting "prot" in typo.json. Settings are entry and the long flags of anyserver serve in camelCase: server, ip, host, port, socket, tlsCert, tlsKey, http2, trustProxy, gracefulTimeout, bodyLimit, watch, workers, timeout, maxRequests, maxRequestsJitter, maxMemory, health, pid, log, logFormat, logLevel, quiet, metrics, metricsAllow, profiler, profilerPath, profilerAllow.',
      "object.json": 'Invalid "port" in object.json: use a string or a number (got {"value":8080}).',
      "flag.json": 'Invalid "trustProxy" in flag.json: use true or false (got "yes").',
      "broken.json":
        "broken.json is not valid JSON: Expected property name or '}' in JSON at position 2. Fix the file.",
      "list.json": 'list.json must hold an object of settings, like { "port": 8080 }.',
      "missing.json": `Config file "missing.json" not found (looked at ${dir}/missing.json). Check the path.`,
    };
    for (const [file, line] of Object.entries(lines)) {
      const result = await runCli(["serve", "--config", file], { cwd: dir });
      expect({ file, code: result.code, stderr: result.stderr }).toEqual({
        file,
        code: 1,
        stderr: `[anyserver] ${line}\n`,
      });
    }
  });

  it("checks a value from the file as it checks the flag, says where it was set, and still answers --help with a broken file", async () => {
    const dir = project({ "app.ts": HELLO_APP, "anyserver.config.json": '{ "port": "eighty" }' });
    const bad = await runCli(["serve"], { cwd: dir });
    expect(bad).toMatchObject({
      code: 1,
      stderr:
        '[anyserver] Invalid port "eighty" (-p): use a whole number from 0 to 65535. It is set in anyserver.config.json ("port").\n',
    });
    // Given on the command line too, the value at fault is the flag's: the file is not blamed.
    const flagged = await runCli(["serve", "-p", "ninety"], { cwd: dir });
    expect(flagged.stderr).toBe(
      '[anyserver] Invalid port "ninety" (-p): use a whole number from 0 to 65535.\n',
    );
    const timeout = project({
      "app.ts": HELLO_APP,
      "deploy/site.json": '{ "gracefulTimeout": "5 minutes" }',
    });
    const late = await runCli(["serve", "--config", "deploy/site.json"], { cwd: timeout });
    expect(late).toMatchObject({
      code: 1,
      stderr:
        '[anyserver] Invalid --graceful-timeout "5 minutes": use seconds (30), or 30s, 500ms, 2m. It is set in deploy/site.json ("gracefulTimeout").\n',
    });
    const help = await runCli(["--help"], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--config FILE");
  });
});
