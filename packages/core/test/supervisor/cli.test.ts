import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { collect, project, runCli, startCli, waitForReady } from "../_cli.ts";
import { APP, FIXTURES, type Fleet, requireBuilt, SERVERS, startFleet } from "./_fleet.ts";
import { freshGet } from "./_probe.ts";

/** A user mistake: exactly one line on stderr, exit code 1, and no worker started. */
async function expectOneLine(args: string[], line: string, options: Parameters<typeof runCli>[1] = {}) {
  const result = await runCli(args, options);
  expect(result.stderr).toBe(`${line}\n`);
  expect(result.code).toBe(1);
}

describe("anyserver serve -w: user mistakes", () => {
  let blocker: Server;
  let busyPort: number;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    busyPort = (blocker.address() as { port: number }).port;
  });
  afterAll(() => blocker.close());

  it.each([
    [
      ["-w", "0"],
      '[anyserver] Invalid -w "0": use a whole number of workers, 1 or more, or auto (one per CPU).',
    ],
    [
      ["-w", "four"],
      '[anyserver] Invalid -w "four": use a whole number of workers, 1 or more, or auto (one per CPU).',
    ],
    [
      ["-w", "2", "--timeout", "soon"],
      '[anyserver] Invalid --timeout "soon": use seconds (30), or 30s, 500ms, 2m.',
    ],
    [
      ["-w", "2", "--timeout", "200ms"],
      '[anyserver] Invalid --timeout "200ms": use 0 (never) or at least 1s, e.g. --timeout 30.',
    ],
    [
      ["--max-requests", "lots"],
      '[anyserver] Invalid --max-requests "lots": use a whole number of requests (0 = never).',
    ],
    [
      ["-w", "2", "--max-requests-jitter", "50"],
      "[anyserver] --max-requests-jitter needs --max-requests N: add e.g. --max-requests 1000.",
    ],
    [
      ["--max-memory", "12xyz"],
      '[anyserver] Invalid --max-memory "12xyz": use bytes (1048576) or 512kb, 1mb, 1gb.',
    ],
    [
      ["--max-memory", "10mb"],
      '[anyserver] Invalid --max-memory "10mb": a Node.js worker uses about 50 MB at rest; use 64mb or more, e.g. --max-memory 512mb.',
    ],
    [
      ["--health", "healthz"],
      '[anyserver] Invalid --health "healthz": use a path starting with /, e.g. --health /healthz.',
    ],
    [["-w"], "[anyserver] Option -w, --workers needs a value."],
  ])("rejects %j", async (flags, line) => {
    await expectOneLine(["serve", APP, "-p", "0", ...flags], line);
  });

  it("rejects a bad $WEB_CONCURRENCY", async () => {
    await expectOneLine(
      ["serve", APP, "-p", "0"],
      '[anyserver] Invalid $WEB_CONCURRENCY "many": use a whole number of workers, 1 or more, or auto (one per CPU).',
      { env: { WEB_CONCURRENCY: "many" } },
    );
  });

  it("says the port is in use before starting any worker", async () => {
    await expectOneLine(
      ["serve", APP, "-w", "2", "-p", String(busyPort)],
      `[anyserver] Port ${busyPort} on 127.0.0.1 is already in use. Stop the process using it or choose another port with -p.`,
    );
  });

  it("says when the pid file cannot be written", async () => {
    await expectOneLine(
      ["serve", APP, "-w", "2", "-p", "0", "--pid", "/nonexistent/folder/anyserver.pid"],
      '[anyserver] Cannot write the pid file "/nonexistent/folder/anyserver.pid" (ENOENT). Check that its folder exists and is writable.',
    );
  });

  it("refuses -w for a server that cannot run in several processes, with its reason", async () => {
    await expectOneLine(
      ["serve", APP, "-w", "2", "-p", "0", "-s", join(FIXTURES, "no-workers-adapter.mjs")],
      '[anyserver] Server "single-process" cannot run workers (-w): it keeps its state in process memory. Drop -w.',
    );
  });
});

describe("anyserver reload: user mistakes", () => {
  it("needs a pid", async () => {
    await expectOneLine(
      ["reload"],
      "[anyserver] reload needs the server's pid: anyserver reload --pid FILE (the file given to anyserver serve --pid), or anyserver reload PID.",
    );
  });

  it("says the pid file is missing", async () => {
    const dir = project({});
    await expectOneLine(
      ["reload", "--pid", "anyserver.pid"],
      `[anyserver] Pid file "${join(dir, "anyserver.pid")}" not found. Start the server with: anyserver serve -w N --pid ${join(dir, "anyserver.pid")}`,
      { cwd: dir },
    );
  });

  it("says no server runs with the pid in the file", async () => {
    const dir = project({});
    // A pid that cannot exist: above the kernel's pid_max.
    writeFileSync(join(dir, "anyserver.pid"), "99999999\n");
    await expectOneLine(
      ["reload", "--pid", "anyserver.pid"],
      "[anyserver] No process 99999999 (from anyserver.pid) is running. Is the server started (anyserver serve -w N --pid FILE)?",
      { cwd: dir },
    );
  });

  it("rejects a pid that is not a number", async () => {
    await expectOneLine(
      ["reload", "abc"],
      '[anyserver] Invalid pid "abc": give the supervisor\'s pid, e.g. anyserver reload 12345.',
    );
  });
});

describe("anyserver serve -w: worker count", () => {
  let fleet: Fleet | undefined;
  afterEach(async () => {
    await fleet?.kill();
    fleet = undefined;
  });

  it("starts one worker per CPU with -w auto, and says so in one line with every pid", async () => {
    fleet = await startFleet([APP, "-w", "auto", "-p", "0"]);
    const cpus = availableParallelism();
    expect(fleet.pids).toHaveLength(cpus);
    expect(fleet.lines[0]).toBe(
      `[anyserver] ready on ${fleet.url.href} with ${cpus} node worker${cpus === 1 ? "" : "s"} (pids ${fleet.pids.join(", ")}; supervisor pid ${fleet.child.pid})`,
    );
  });

  it("-s uws: warns in one line, before the summary, unless Linux hands queued connections on (tcp_migrate_req)", async () => {
    requireBuilt(SERVERS.uws);
    fleet = await startFleet([APP, "-w", "1", "-p", "0", "-s", SERVERS.uws]);
    const migrates = readFileSync("/proc/sys/net/ipv4/tcp_migrate_req", "utf8").trim() === "1";
    const summary = expect.stringMatching(/^\[anyserver\] ready on .* with 1 uws worker \(pids/);
    expect(fleet.lines).toEqual(
      migrates
        ? [summary]
        : [
            `[anyserver] -s uws workers share the port with SO_REUSEPORT, and Linux resets connections still queued on a worker that stops listening (reload, recycling, SIGTTOU): set net.ipv4.tcp_migrate_req=1 (sysctl, Linux 5.14+) so they go to another worker instead`,
            summary,
          ],
    );
  });

  it("takes the worker count from $WEB_CONCURRENCY", async () => {
    fleet = await startFleet([APP, "-p", "0"], { env: { WEB_CONCURRENCY: "3" } });
    expect(fleet.pids).toHaveLength(3);
    const answers = new Set<number>();
    for (let i = 0; i < 12; i++) answers.add(await freshGet(fleet.url));
    expect(answers.size).toBeGreaterThan(1);
  });

  it("answers --health without workers too", async () => {
    const child = startCli(["serve", APP, "-p", "0", "--health", "/healthz"]);
    const done = collect(child);
    const url = await waitForReady(child);
    const health = await fetch(new URL("/healthz", url));
    expect(health.status).toBe(200);
    expect(await health.text()).toBe("ok\n");
    const app = await fetch(new URL("/healthz/deeper", url));
    expect(await app.text()).toMatch(/^\d+$/);
    child.kill("SIGTERM");
    expect((await done).code).toBe(0);
  });
});
