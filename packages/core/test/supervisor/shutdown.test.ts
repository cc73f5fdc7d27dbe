import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { project } from "../_cli.ts";
import { APP, alive, type Fleet, requireBuilt, SERVERS, sleep, startFleet } from "./_fleet.ts";
import { answered, startLoad } from "./_load.ts";
import { freshGet } from "./_probe.ts";

let fleet: Fleet | undefined;
afterEach(async () => {
  await fleet?.kill();
  fleet = undefined;
});

/** Two loops keep a 2 s request in flight; four others send quick ones. */
const mixed = (_n: number, loop: number) => (loop < 2 ? "/slow?ms=2000" : "/");

describe.each(Object.entries(SERVERS))("-w 2 -s %s shutdown", (_name, server) => {
  it.each([1, 2])(
    "drains on SIGTERM under load with 2 s requests in flight: 0 failed, every slow request 200, exit 0 (run %i)",
    async () => {
      requireBuilt(server);
      fleet = await startFleet([APP, "-s", server, "-w", "2", "-p", "0", "--graceful-timeout", "10s"]);
      const load = startLoad(fleet.url, { concurrency: 6, path: mixed });
      await answered(load, 300);
      // Let the slow requests get well into their 2 s.
      await sleep(700);
      const stopped = load.stop();
      const signalled = Date.now();
      fleet.child.kill("SIGTERM");
      const report = await stopped;
      const result = await fleet.exited;
      const took = Date.now() - signalled;

      expect(report.errors).toEqual([]);
      expect(report.failed).toBe(0);
      expect(report.slowOk).toBeGreaterThanOrEqual(2);
      // At least the two slow requests in flight were answered during the drain, with Connection: close.
      expect(report.closing).toBeGreaterThanOrEqual(2);
      expect(result.code).toBe(0);
      expect(took).toBeLessThan(10_000);
      expect(result.stderr).toContain("[anyserver] SIGTERM: finishing in-flight requests, then exiting\n");
      for (const pid of fleet.pids) expect(alive(pid)).toBe(false);
    },
    40_000,
  );
});

describe("-w shutdown", () => {
  it("answers --health 200 while serving and 503 within 100 ms of SIGTERM", async () => {
    fleet = await startFleet([
      APP,
      "-w",
      "2",
      "-p",
      "0",
      "--health",
      "/healthz",
      "--graceful-timeout",
      "10s",
    ]);
    const healthy = await fetch(new URL("/healthz", fleet.url));
    expect(healthy.status).toBe(200);
    expect(healthy.headers.get("cache-control")).toBe("no-store");
    expect(await healthy.text()).toBe("ok\n");
    // A slow request keeps the fleet draining; a probe on a kept-alive connection asks every 10 ms.
    const slow = fetch(new URL("/slow?ms=1500", fleet.url));
    const probe = await keepAliveProbe(fleet.url, "/healthz");
    expect(await probe.ask()).toBe(200);
    await sleep(200);
    const signalled = performance.now();
    fleet.child.kill("SIGTERM");
    let status = 200;
    while (status === 200 && performance.now() - signalled < 1000) {
      status = await probe.ask();
      if (status === 200) await sleep(10);
    }
    const took = performance.now() - signalled;
    probe.close();
    expect(status).toBe(503);
    expect(took).toBeLessThan(100);
    const slowResponse = await slow;
    expect(slowResponse.status).toBe(200);
    expect(slowResponse.headers.get("connection")).toBe("close");
    expect((await fleet.exited).code).toBe(0);
  });

  it("finishes waitUntil work before a worker exits", async () => {
    const dir = project({});
    const marker = join(dir, "marker.txt");
    fleet = await startFleet([APP, "-w", "2", "-p", "0"]);
    const response = await fetch(new URL(`/background?file=${encodeURIComponent(marker)}`, fleet.url));
    const pid = Number(/accepted (\d+)/.exec(await response.text())![1]);
    fleet.child.kill("SIGTERM");
    expect((await fleet.exited).code).toBe(0);
    expect(readFileSync(marker, "utf8")).toBe(`done ${pid}\n`);
  });

  it("forces what is left after --graceful-timeout and still exits 0", async () => {
    fleet = await startFleet([APP, "-w", "2", "-p", "0", "--graceful-timeout", "1s"]);
    const endless = freshGet(new URL("/slow?ms=60000", fleet.url), 30_000).catch(() => "reset");
    await sleep(300);
    const signalled = Date.now();
    fleet.child.kill("SIGTERM");
    const result = await fleet.exited;
    expect(result.code).toBe(0);
    // The workers force themselves at 1 s; the supervisor would kill them 2 s later.
    expect(Date.now() - signalled).toBeLessThan(3000);
    expect(await endless).toBe("reset");
  });

  it("kills the workers at once on a second SIGINT", async () => {
    fleet = await startFleet([APP, "-w", "2", "-p", "0", "--graceful-timeout", "20s"]);
    const slow = fetch(new URL("/slow?ms=15000", fleet.url)).catch((error: Error) => error);
    await fleet.waitForLine(/ready on/);
    await sleep(300);
    const signalled = Date.now();
    fleet.child.kill("SIGINT");
    await fleet.waitForLine(/SIGINT: finishing in-flight requests/);
    fleet.child.kill("SIGINT");
    const result = await fleet.exited;
    expect(Date.now() - signalled).toBeLessThan(5000);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "[anyserver] SIGINT again: killing the workers and exiting without waiting\n",
    );
    expect(await slow).toBeInstanceOf(Error);
    await sleep(200);
    for (const pid of fleet.pids) expect(alive(pid)).toBe(false);
  });
});

/** One kept-alive connection that asks for `path` on demand and returns the status code. */
async function keepAliveProbe(url: URL, path: string) {
  const socket = connect(Number(url.port), url.hostname);
  await new Promise((resolve) => socket.once("connect", resolve));
  let buffered = "";
  socket.on("data", (chunk) => (buffered += chunk));
  return {
    async ask(): Promise<number> {
      buffered = "";
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
      for (let waited = 0; waited < 2000; waited += 2) {
        const match = /^HTTP\/1\.1 (\d{3})[\s\S]*?\r\n\r\n[\s\S]*\n$/.exec(buffered);
        if (match) return Number(match[1]);
        if (socket.destroyed) break;
        await sleep(2);
      }
      throw new Error(`no answer to the probe: ${JSON.stringify(buffered)}`);
    },
    close: () => socket.destroy(),
  };
}
