import { readdirSync, renameSync } from "node:fs";
import { get } from "node:http";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lines, metricSum, parseCombined, read, serve, waitFor } from "./_observe.ts";

const N = 20;

/** A GET on a new connection each time, so the supervisor's round robin spreads them over the workers. */
function getOnce(url: URL): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode!));
    }).on("error", reject);
  });
}

/** Ask /metrics until the total is `expected` (workers being replaced hand over their numbers). */
async function totalBecomes(url: URL, expected: number): Promise<number> {
  let total = Number.NaN;
  for (let i = 0; i < 100 && total !== expected; i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    total = metricSum(await (await fetch(new URL("/metrics", url))).text(), "http_requests_total");
  }
  return total;
}

describe("observing -w 2", { timeout: 90_000 }, () => {
  it("writes every worker's lines whole into one file, and sums the metrics over the workers", async () => {
    const served = await serve(["-w", "2", "-l", "access.log", "--metrics"]);
    try {
      for (let i = 0; i < N; i++) expect(await getOnce(new URL(`/r${i}`, served.url))).toBe(200);
      expect(await totalBecomes(served.url, N)).toBe(N);
      expect((await served.stop()).code).toBe(0);
      const logged = lines(read(served.dir, "access.log")).map(parseCombined);
      const requests = logged
        .map((line) => line.request)
        .filter((request) => !request.startsWith("GET /metrics"));
      expect(requests.sort()).toEqual(Array.from({ length: N }, (_, i) => `GET /r${i} HTTP/1.1`).sort());
      expect(new Set(logged.map((line) => line.pid)).size).toBe(2);
    } finally {
      await served.stop();
    }
  });

  it("keeps the totals of workers replaced by --max-requests", async () => {
    const served = await serve(["-w", "2", "--metrics", "--max-requests", "4"]);
    try {
      for (let i = 0; i < N; i++) expect(await getOnce(new URL(`/r${i}`, served.url))).toBe(200);
      expect(await totalBecomes(served.url, N)).toBe(N);
    } finally {
      await served.stop();
    }
  });

  it("reopens the log in every worker on SIGUSR1 to the supervisor", async () => {
    const served = await serve(["-w", "2", "-l", "access.log"]);
    try {
      for (let i = 0; i < 4; i++) await getOnce(new URL(`/before${i}`, served.url));
      renameSync(join(served.dir, "access.log"), join(served.dir, "access.log.1"));
      served.child.kill("SIGUSR1");
      const reopened = () => served.stderr().match(/: reopened the access log /g)?.length ?? 0;
      await waitFor(() => reopened() === 2, "both workers to reopen the log");
      for (let i = 0; i < 8; i++) await getOnce(new URL(`/after${i}`, served.url));
      const result = await served.stop();
      expect(result.stderr).toContain("SIGUSR1: reopening the access log");
      const before = lines(read(served.dir, "access.log.1")).map((line) => parseCombined(line).request);
      const after = lines(read(served.dir, "access.log")).map((line) => parseCombined(line));
      expect(before.every((request) => request.startsWith("GET /before"))).toBe(true);
      expect(before).toHaveLength(4);
      expect(after.map((line) => line.request).every((request) => request.startsWith("GET /after"))).toBe(
        true,
      );
      expect(after).toHaveLength(8);
    } finally {
      await served.stop();
    }
  });

  it("saves one profile per worker on SIGTERM", async () => {
    const served = await serve(["-w", "2", "-P", "profiles"]);
    try {
      for (let i = 0; i < 4; i++) await getOnce(new URL("/burn?ms=20", served.url));
      expect((await served.stop()).code).toBe(0);
      const files = readdirSync(join(served.dir, "profiles"));
      expect(files).toHaveLength(2);
      for (const file of files) expect(file).toMatch(/^node-\d+-\d{8}T\d{6}\.\d{3}Z\.cpuprofile$/);
    } finally {
      await served.stop();
    }
  });
});
