import { describe, expect, it } from "vitest";
import { collect, freePort, HELLO_APP, project, startCli } from "../_cli.ts";
import { lines } from "./_observe.ts";

/** Serve the hello app with `flags` on a free port, wait until it answers, stop it with SIGTERM. */
async function runOnce(flags: string[]) {
  const port = await freePort();
  const child = startCli(["serve", "app.ts", "-p", String(port), ...flags], {
    cwd: project({ "app.ts": HELLO_APP }),
  });
  const done = collect(child);
  // Quiet servers print no "ready" line: ask until the server answers (bounded).
  for (let i = 0; i < 200; i++) {
    const answered = await fetch(`http://127.0.0.1:${port}/`).then(
      (response) => response.ok,
      () => false,
    );
    if (answered) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGTERM");
  return done;
}

describe("server logs", () => {
  it("writes JSON lines with level, time, pid and message with --log-format json", async () => {
    const result = await runOnce(["--log-format", "json"]);
    expect(result.code).toBe(0);
    const logged = lines(result.stderr).map((line) => JSON.parse(line));
    expect(logged.map((line) => line.msg)).toEqual([
      expect.stringMatching(/^starting node on http:\/\/127\.0\.0\.1:\d+$/),
      expect.stringMatching(/^ready on http:\/\/127\.0\.0\.1:\d+\/ \(pid \d+\)$/),
      "SIGTERM: finishing in-flight requests, then exiting",
    ]);
    for (const line of logged) {
      expect(line).toMatchObject({ level: "info", type: "server", pid: expect.any(Number) });
      expect(Number.isNaN(Date.parse(line.time))).toBe(false);
    }
  });

  it("says nothing but warnings and errors with --quiet", async () => {
    const result = await runOnce(["--quiet"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
  });

  it("keeps only errors with --log-level error", async () => {
    const result = await runOnce(["--log-level", "error"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
  });
});
