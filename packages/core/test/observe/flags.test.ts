import { describe, expect, it } from "vitest";
import { HELLO_APP, project, runCli } from "../_cli.ts";

/** A wrong observe flag: one `[anyserver]` line on stderr, nothing else, exit 1. */
async function rejects(flags: string[], line: string): Promise<void> {
  const dir = project({ "app.ts": HELLO_APP });
  const result = await runCli(["serve", "app.ts", "-p", "0", ...flags], { cwd: dir });
  expect(result.stderr).toBe(`[anyserver] ${line}\n`);
  expect(result.code).toBe(1);
}

describe("observe flags", () => {
  it.each([
    [["--log-format", "xml", "-l"], 'Invalid --log-format "xml": use combined, common, json.'],
    [
      ["--log-format", "common"],
      "--log-format common is the access log's format: add -l (stdout) or -l FILE.",
    ],
    [["--log-level", "loud"], 'Invalid --log-level "loud": use silent, error, warn, info.'],
    [["--quiet", "--log-level", "info"], "--quiet and --log-level both set how much is logged: keep one."],
    [
      ["-l", "/nonexistent-dir/access.log"],
      'Cannot open the access log "/nonexistent-dir/access.log" (ENOENT). Check the folder exists and is writable.',
    ],
    [["--metrics=stats"], 'Invalid --metrics "stats": use a path starting with /, e.g. --metrics /metrics.'],
    [
      ["--metrics", "--metrics-allow", "10.0.0.300"],
      'Invalid --metrics-allow entry "10.0.0.300": use IP addresses or CIDR ranges separated by commas (10.0.0.0/8,192.168.1.7), or any.',
    ],
    [
      ["--metrics", "--metrics-allow", "10.0.0.0/33"],
      'Invalid --metrics-allow entry "10.0.0.0/33": use IP addresses or CIDR ranges separated by commas (10.0.0.0/8,192.168.1.7), or any.',
    ],
    [["--metrics-allow", "any"], "--metrics-allow needs --metrics: add it, or drop --metrics-allow."],
    [["-P", "app.ts"], 'Cannot write profiles to "app.ts" (EEXIST). Choose a writable folder with -P.'],
    [["-P", ""], "-P needs a folder for the profiles, e.g. -P profiles/."],
    [
      ["-P", "p", "--profiler-path", "profile"],
      'Invalid --profiler-path "profile": use a path starting with /, e.g. /__profile__.',
    ],
    [
      ["-P", "p", "--metrics", "/m", "--profiler-path", "/m"],
      "--profiler-path and --metrics are both /m: give them different paths.",
    ],
    [["--profiler-path", "/p"], "--profiler-path needs -P DIR: add it, or drop --profiler-path."],
    [["--profiler-allow", "any"], "--profiler-allow needs -P DIR: add it, or drop --profiler-allow."],
    [["-P"], "Option -P, --profiler needs a value."],
  ])("rejects %j", async (flags, line) => {
    await rejects(flags, line);
  });
});
