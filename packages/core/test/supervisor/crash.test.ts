import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../_cli.ts";
import { APP, alive, childrenOf, FIXTURES, type Fleet, sleep, startFleet } from "./_fleet.ts";
import { answered, startLoad } from "./_load.ts";
import { freshGet, newcomer } from "./_probe.ts";

let fleet: Fleet | undefined;
afterEach(async () => {
  await fleet?.kill();
  fleet = undefined;
});

describe("-w crash respawn", () => {
  it("replaces a worker killed with kill -9 under load within 1 s, three times; failures bounded by its connections", async () => {
    const concurrency = 4;
    fleet = await startFleet([APP, "-w", "2", "-p", "0"]);
    // node:cluster never answers a connection it was handing to the killed worker: give up on it after 5 s.
    const load = startLoad(fleet.url, { concurrency, timeoutMs: 5000, pauseMs: 20 });
    await answered(load, 100);
    const known = new Set(fleet.pids);
    let serving = [...fleet.pids];
    for (let round = 0; round < 3; round++) {
      const victim = serving[round % 2];
      const from = fleet.lines.length;
      const killed = performance.now();
      process.kill(victim, "SIGKILL");
      const { pid, at } = await newcomer(fleet.url, known);
      expect(at - killed).toBeLessThan(1000);
      // The third kill hits the slot of the first within 10 s: its restart waits 100 ms (backoff).
      expect(await fleet.waitForLine(/was killed by/, 5000, from)).toMatch(
        new RegExp(
          `^\\[anyserver\\] worker ${victim} was killed by SIGKILL; starting a replacement( in 100 ms)?$`,
        ),
      );
      await answered(load, 50);
      known.add(pid);
      serving = serving.map((each) => (each === victim ? pid : each));
    }
    const report = await load.stop();
    // Each loop has one request in flight at most: a kill fails at most one per loop.
    expect(report.failed).toBeLessThanOrEqual(3 * concurrency);
    expect(childrenOf(fleet.child.pid!).sort()).toEqual([...serving].sort());
  }, 60_000);

  it("exits 1 within 10 s with the app's error when workers throw at boot (-w 2)", async () => {
    const started = Date.now();
    const result = await runCli(["serve", "boot-crash.mjs", "-w", "2", "-p", "0"], { cwd: FIXTURES });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split("\n");
    const error =
      'Loading "boot-crash.mjs" failed: Error: cannot reach the database at db:5432 (at boot-crash.mjs:2:7)';
    // Each worker fails, restarts at once, fails again, restarts after 100 ms: the fifth failure stops.
    const first = new RegExp(
      `^\\[anyserver\\] worker \\d+ failed to boot: ${escapeRegExp(error)}; retrying$`,
    );
    const again = /^\[anyserver\] worker \d+ failed to boot again; retrying in 100 ms$/;
    expect(lines.filter((line) => first.test(line))).toHaveLength(2);
    expect(lines.filter((line) => again.test(line))).toHaveLength(2);
    expect(lines).toHaveLength(5);
    expect(lines.at(-1)).toBe(
      `[anyserver] Workers failed to boot 5 times in a row, so anyserver stops. The error: ${error}`,
    );
  }, 20_000);
});

describe("-w hung workers", () => {
  it("replaces a worker whose event loop is blocked in 5–8 s with --timeout 5, while the other keeps answering", async () => {
    fleet = await startFleet([APP, "-w", "2", "-p", "0", "--timeout", "5"]);
    const load = startLoad(fleet.url, { concurrency: 4 });
    await answered(load, 100);
    const blocking = freshGet(new URL("/block", fleet.url), 20_000).catch(() => "reset");
    const blocked = performance.now();
    const line = await fleet.waitForLine(/has not answered/, 15_000);
    const hung = Number(/worker (\d+) has not answered/.exec(line)![1]);
    expect(line).toMatch(
      /^\[anyserver\] worker \d+ has not answered for [5-7](\.\d)?s \(--timeout 5s\): killing it and starting a replacement$/,
    );
    const other = fleet.pids.find((pid) => pid !== hung)!;
    // The other worker answered while the hung one was silent.
    const answeredByOther = load.report.byPid.get(other) ?? 0;
    expect(answeredByOther).toBeGreaterThan(0);
    const { at } = await newcomer(fleet.url, fleet.pids, 10_000);
    expect(at - blocked).toBeGreaterThanOrEqual(5000);
    expect(at - blocked).toBeLessThan(8000);
    expect(await blocking).toBe("reset");
    expect(alive(hung)).toBe(false);
    await sleep(100);
    expect(load.report.byPid.get(other)).toBeGreaterThan(answeredByOther);
    const report = await load.stop();
    // Only requests on connections the hung worker held failed.
    expect(report.failed).toBeLessThanOrEqual(4);
  }, 40_000);
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
