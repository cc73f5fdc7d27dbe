import { copyFileSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { project, runCli } from "../_cli.ts";
import { APP, alive, type Fleet, requireBuilt, SERVERS, startFleet } from "./_fleet.ts";
import { answered, startLoad } from "./_load.ts";

let fleet: Fleet | undefined;
afterEach(async () => {
  await fleet?.kill();
  fleet = undefined;
});

/** Two loops keep a 1 s request in flight while the old workers drain; four others send quick ones. */
const mixed = (_n: number, loop: number) => (loop < 2 ? "/slow?ms=1000" : "/");

const pidsOf = (line: string) => /workers ([\d, ]+)$/.exec(line)![1].split(", ").map(Number);

describe.each(Object.entries(SERVERS))("-w 2 -s %s reload", (_name, server) => {
  it("reloads on SIGHUP twice under load: 0 failed, every worker replaced, the new ones serving", async () => {
    requireBuilt(server);
    fleet = await startFleet([APP, "-s", server, "-w", "2", "-p", "0"]);
    const load = startLoad(fleet.url, { concurrency: 6, path: mixed });
    await answered(load, 200);
    let pids = fleet.pids;
    for (let round = 1; round <= 2; round++) {
      const from = fleet.lines.length;
      fleet.child.kill("SIGHUP");
      const fresh = pidsOf(await fleet.waitForLine(/reloaded: workers/, 30_000, from));
      expect(fresh).toHaveLength(2);
      for (const pid of fresh) expect(pids).not.toContain(pid);
      for (const pid of pids) expect(alive(pid)).toBe(false);
      await answered(load, 200);
      pids = fresh;
    }
    const report = await load.stop();
    expect(report.errors).toEqual([]);
    expect(report.failed).toBe(0);
    for (const pid of pids) expect(report.byPid.get(pid)).toBeGreaterThan(0);
    fleet.child.kill("SIGTERM");
    expect((await fleet.exited).code).toBe(0);
  }, 90_000);
});

describe("-w reload", () => {
  it("keeps the old workers serving when the new code throws at import, then reloads once it is fixed", async () => {
    const dir = project({});
    const entry = join(dir, "app.mjs");
    copyFileSync(APP, entry);
    fleet = await startFleet([entry, "-w", "2", "-p", "0"], { cwd: dir });
    const load = startLoad(fleet.url, { concurrency: 4 });
    await answered(load, 100);

    writeFileSync(entry, 'throw new Error("syntax of the new release is wrong");\n');
    let from = fleet.lines.length;
    fleet.child.kill("SIGHUP");
    const failure = await fleet.waitForLine(/reload failed/, 30_000, from);
    expect(failure).toMatch(
      /^\[anyserver\] reload failed, the old workers keep serving: new worker \d+ failed to boot: Loading "app\.mjs" failed: Error: syntax of the new release is wrong \(at app\.mjs:1:7\)$/,
    );
    const answeredBefore = new Map(load.report.byPid);
    await answered(load, 200);
    for (const pid of load.report.byPid.keys()) expect(fleet.pids).toContain(pid);
    for (const pid of fleet.pids)
      expect(load.report.byPid.get(pid)).toBeGreaterThan(answeredBefore.get(pid) ?? 0);

    copyFileSync(APP, entry);
    from = fleet.lines.length;
    fleet.child.kill("SIGHUP");
    const fresh = pidsOf(await fleet.waitForLine(/reloaded: workers/, 30_000, from));
    await answered(load, 100);
    const report = await load.stop();
    expect(report.errors).toEqual([]);
    for (const pid of fresh) expect(report.byPid.get(pid)).toBeGreaterThan(0);
  }, 60_000);

  it("reloads through anyserver reload --pid FILE, and removes the pid file on exit", async () => {
    const dir = project({});
    const pidFile = join(dir, "anyserver.pid");
    fleet = await startFleet([APP, "-w", "1", "-p", "0", "--pid", pidFile]);
    const from = fleet.lines.length;
    const result = await runCli(["reload", "--pid", pidFile]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `[anyserver] asked process ${fleet.child.pid} to reload (SIGHUP): new workers start, then the old ones drain\n`,
    );
    const fresh = pidsOf(await fleet.waitForLine(/reloaded: workers/, 30_000, from));
    expect(fresh).not.toContain(fleet.pids[0]);
    const response = await fetch(fleet.url);
    expect(await response.text()).toBe(String(fresh[0]));
    fleet.child.kill("SIGTERM");
    expect((await fleet.exited).code).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
  }, 30_000);
});
