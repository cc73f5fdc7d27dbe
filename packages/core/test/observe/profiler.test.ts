import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { read, serve } from "./_observe.ts";

interface Profile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string };
    hitCount: number;
    children?: number[];
  }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Check the V8 profile shape DevTools and speedscope read, and return the function with the most samples. */
function hottest(profile: Profile): string {
  expect(profile.nodes[0].callFrame.functionName).toBe("(root)");
  expect(profile.samples.length).toBe(profile.timeDeltas.length);
  expect(profile.endTime).toBeGreaterThan(profile.startTime);
  const ids = new Set(profile.nodes.map((node) => node.id));
  for (const sample of profile.samples) expect(ids.has(sample)).toBe(true);
  const self = new Map<string, number>();
  for (const node of profile.nodes) {
    const name = node.callFrame.functionName;
    if (!name.startsWith("(")) self.set(name, (self.get(name) ?? 0) + node.hitCount);
  }
  return [...self].sort((a, b) => b[1] - a[1])[0][0];
}

async function burn(url: URL, times: number): Promise<void> {
  for (let i = 0; i < times; i++)
    expect(await (await fetch(new URL("/burn?ms=150", url))).text()).toMatch(/^burnt/);
}

describe("profiler (-P)", () => {
  it("writes DIR/<server>-<pid>-<time>.cpuprofile on SIGTERM, whose hot function is the one the route burns CPU in", async () => {
    const served = await serve(["-P", "profiles"]);
    try {
      await burn(served.url, 5);
      const result = await served.stop();
      expect(result.code).toBe(0);
      const files = readdirSync(join(served.dir, "profiles"));
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(new RegExp(`^node-${served.child.pid}-\\d{8}T\\d{6}\\.\\d{3}Z\\.cpuprofile$`));
      expect(result.stderr).toContain(
        `[anyserver] profile saved to ${join(served.dir, "profiles", files[0])}`,
      );
      expect(hottest(JSON.parse(read(join(served.dir, "profiles"), files[0])))).toBe("burnCpu");
    } finally {
      await served.stop();
    }
  });

  it("shows the hot function by name at /__profile__, with its share, and offers the download", async () => {
    const served = await serve(["-P", "profiles"]);
    try {
      await burn(served.url, 4);
      const page = await fetch(new URL("/__profile__", served.url));
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
      const html = await page.text();
      const firstRow = /<tbody>\s*<tr>(.*?)<\/tr>/s.exec(html)![1];
      expect(firstRow).toContain("<b>burnCpu</b>");
      expect(firstRow).toMatch(/\d+\.\d %/);
      expect(html).toContain('href="/__profile__/profile.cpuprofile"');

      const summary = await (await fetch(new URL("/__profile__/summary.json", served.url))).json();
      const top = summary.functions.find((fn: { name: string }) => !fn.name.startsWith("("));
      expect(top.name).toBe("burnCpu");
      expect(top.selfShare).toBeGreaterThan(0.3);
      expect(top.totalMs).toBeGreaterThanOrEqual(top.selfMs);

      const download = await fetch(new URL("/__profile__/profile.cpuprofile", served.url));
      expect(download.headers.get("content-disposition")).toBe(
        `attachment; filename="node-${served.child.pid}.cpuprofile"`,
      );
      expect(hottest(await download.json())).toBe("burnCpu");
    } finally {
      await served.stop();
    }
  });

  it("forgets what it recorded on reset, and saves on demand", async () => {
    const served = await serve(["-P", "profiles"]);
    try {
      await burn(served.url, 3);
      const reset = await fetch(new URL("/__profile__/reset", served.url), {
        method: "POST",
        redirect: "manual",
      });
      expect(reset.status).toBe(303);
      expect(reset.headers.get("location")).toBe("/__profile__");
      const after = await (await fetch(new URL("/__profile__/summary.json", served.url))).json();
      expect(after.functions.some((fn: { name: string }) => fn.name === "burnCpu")).toBe(false);

      const saved = await fetch(new URL("/__profile__/save", served.url), {
        method: "POST",
        redirect: "manual",
      });
      expect(saved.status).toBe(303);
      expect(readdirSync(join(served.dir, "profiles"))).toHaveLength(1);
    } finally {
      await served.stop();
    }
  });

  it("refuses clients off loopback and cross-site form posts", async () => {
    const served = await serve(["-P", "profiles", "--trust-proxy", "--profiler-path", "/_prof"]);
    try {
      const remote = await fetch(new URL("/_prof", served.url), {
        headers: { "x-forwarded-for": "203.0.113.9" },
      });
      expect(remote.status).toBe(403);
      expect(await remote.text()).toBe(
        "Forbidden: /_prof answers loopback clients only (allow others with --profiler-allow).\n",
      );
      const crossSite = await fetch(new URL("/_prof/reset", served.url), {
        method: "POST",
        headers: { origin: "http://evil.example" },
      });
      expect(crossSite.status).toBe(403);
      expect((await fetch(new URL("/_prof", served.url))).status).toBe(200);
      expect(await (await fetch(new URL("/__profile__", served.url))).text()).toBe("hello from /__profile__");
    } finally {
      await served.stop();
    }
  });
});
