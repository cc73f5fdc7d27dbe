import { describe, expect, it } from "vitest";
import { conformanceCases } from "../src/index.ts";
import { runConformance } from "./_vitest.ts";

describe("describeAdapter", () => {
  it("fails the suite on an unsupported key that is not a case id, naming the closest id", async () => {
    const run = await runConformance("typo.conformance.ts", "declares only");
    expect(run.code).toBe(1);
    expect(run.output).toContain(
      '[anyserver] unsupported names "keep-alive-resue" (did you mean "keep-alive-reuse"?), which is not a case id.',
    );
  });

  it("skips a declared case with its reason in the test name, records it, and passes the rest", async () => {
    const run = await runConformance("declared.conformance.ts", String.raw`\[method-get\]|\[sse\]`);
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/↓ .*\[sse\] \(unsupported: this server buffers event streams\)/);
    expect(run.output).toMatch(/✓ .*\[method-get\]/);
    const results = run.results("node");
    expect(results.adapter).toBe("node");
    expect(results.cases.sse).toMatchObject({
      status: "unsupported",
      reason: "this server buffers event streams",
    });
    expect(results.cases["method-get"].status).toBe("pass");
    // Filtered out by -t: not run, never reported as passing.
    expect(results.cases["keep-alive-reuse"].status).toBe("not-run");
    expect(Object.keys(results.cases)).toEqual(conformanceCases.map((c) => c.id));
  });

  it("takes capability keys (websocket, http2) in unsupported as the reason for their whole area", async () => {
    const run = await runConformance(
      "capabilities.conformance.ts",
      String.raw`declares only|\[ws-text-echo\]|\[h2-authority\]|\[method-get\]`,
    );
    expect(run.code).toBe(0);
    const { cases } = run.results("plain");
    expect(cases["ws-text-echo"]).toMatchObject({ status: "unsupported", reason: "no sockets here" });
    expect(cases["h2-authority"]).toMatchObject({ status: "unsupported", reason: "no HTTP/2 here" });
    expect(cases["method-get"].status).toBe("pass");
  });

  it("fails the cases a server gets wrong and records why", async () => {
    const run = await runConformance(
      "broken.conformance.ts",
      String.raw`\[method-get\]|\[backpressure\]|\[error-throw\]`,
    );
    expect(run.code).toBe(1);
    const { cases } = run.results("broken");
    expect(cases["method-get"].status).toBe("pass");
    expect(cases.backpressure).toMatchObject({ status: "fail" });
    expect(cases.backpressure.error).toMatch(/expected \d+ to be less than 134217728/);
    expect(cases["error-throw"]).toMatchObject({ status: "fail" });
    expect(cases["error-throw"].error).toContain("fixture-secret-7f3a");
  });
});
