import { describe, expect, it } from "vitest";
import { type CallFrame, type CpuProfile, ProfileAccumulator } from "../../src/observe/cpu-profile.ts";
import { summarize } from "../../src/observe/profile-summary.ts";

const frame = (functionName: string, line = 0): CallFrame => ({
  functionName,
  scriptId: "1",
  url: functionName.startsWith("(") ? "" : "file:///app.js",
  lineNumber: line,
  columnNumber: 0,
});

/** root → (idle) ; root → handler → render → render (recursion) ; root → handler → query */
function profile(startTime: number, hits: Record<string, number>): CpuProfile {
  const nodes = [
    { id: 1, callFrame: frame("(root)"), hitCount: 0, children: [2, 3] },
    { id: 2, callFrame: frame("(idle)"), hitCount: hits.idle ?? 0, children: [] },
    { id: 3, callFrame: frame("handler", 1), hitCount: hits.handler ?? 0, children: [4, 6] },
    { id: 4, callFrame: frame("render", 5), hitCount: hits.render ?? 0, children: [5] },
    { id: 5, callFrame: frame("render", 5), hitCount: hits.inner ?? 0, children: [] },
    { id: 6, callFrame: frame("query", 9), hitCount: hits.query ?? 0, children: [] },
  ];
  const samples = nodes.flatMap((node) => Array(node.hitCount).fill(node.id));
  return {
    nodes,
    startTime,
    endTime: startTime + samples.length * 1000,
    samples,
    timeDeltas: samples.map(() => 1000),
  };
}

describe("CPU profiles", () => {
  it("sums self and total time per function, counting a recursive function once per sample", () => {
    const summary = summarize(profile(0, { idle: 10, handler: 2, render: 3, inner: 4, query: 1 }));
    expect(summary.samples).toBe(20);
    expect(summary.recordedMs).toBe(20);
    expect(summary.busyMs).toBe(10);
    const byName = Object.fromEntries(summary.functions.map((fn) => [fn.name, fn]));
    expect(Object.keys(byName)).toEqual(["render", "handler", "query"]);
    expect(byName.render).toMatchObject({
      selfMs: 7,
      totalMs: 7,
      selfShare: 0.7,
      totalShare: 0.7,
      location: "/app.js:6:1",
    });
    expect(byName.handler).toMatchObject({ selfMs: 2, totalMs: 10, totalShare: 1 });
    expect(byName.query).toMatchObject({ selfMs: 1, totalMs: 1 });
  });

  it("merges profiles taken one after another into one whose samples follow in time", () => {
    const merged = new ProfileAccumulator();
    merged.add(profile(1_000_000, { handler: 2, query: 1 }));
    merged.add(profile(1_010_000, { render: 3 }));
    const result = merged.toProfile();
    expect(result.nodes.filter((node) => node.callFrame.functionName === "handler")).toHaveLength(1);
    expect(result.samples).toHaveLength(6);
    expect(result.timeDeltas).toEqual([1000, 1000, 1000, 8000, 1000, 1000]);
    expect(result.startTime).toBe(1_000_000);
    expect(result.endTime).toBe(1_013_000);
    const byName = Object.fromEntries(summarize(result).functions.map((fn) => [fn.name, fn.selfMs > 0]));
    expect(byName).toEqual({ handler: true, query: true, render: true });
    const ids = new Set(result.nodes.map((node) => node.id));
    for (const node of result.nodes)
      for (const child of node.children ?? []) expect(ids.has(child)).toBe(true);
  });
});
