import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { type CliResult, collect, project, startCli, waitForReady } from "../_cli.ts";

export const OBSERVE_APP = readFileSync(new URL("../fixtures/observe/app.ts", import.meta.url), "utf8");

/** A served fixture app: its URL, its folder, and a way to stop it and read what it printed. */
export interface Serving {
  url: URL;
  dir: string;
  child: ChildProcess;
  /** What the server printed on stderr so far. */
  stderr(): string;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<CliResult>;
}

/** Serve the observe fixture app with the real CLI and these flags (on any free port). */
export async function serve(flags: string[], env: Record<string, string> = {}): Promise<Serving> {
  const dir = project({ "app.ts": OBSERVE_APP });
  const child = startCli(["serve", "app.ts", "-p", "0", ...flags], { cwd: dir, env });
  const done = collect(child);
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const url = await waitForReady(child);
  let stopped: Promise<CliResult> | undefined;
  return {
    url,
    dir,
    child,
    stderr: () => stderr,
    stop() {
      if (!stopped) {
        child.kill("SIGTERM");
        stopped = done;
      }
      return stopped;
    },
  };
}

/** Poll a condition, 100 times at most, 50 ms apart. */
export async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Wait until `file` in `dir` exists and contains `text`. */
export function waitForFile(dir: string, file: string, text: string): Promise<void> {
  return waitFor(() => existsSync(join(dir, file)) && read(dir, file).includes(text), `${text} in ${file}`);
}

export function read(dir: string, file: string): string {
  return readFileSync(join(dir, file), "utf8");
}

/** The lines of a log, without the final newline. */
export function lines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}

/** A combined line, field by field; throws on anything else. */
export interface CombinedLine {
  remote: string;
  time: string;
  request: string;
  status: number;
  bytes: string;
  referer: string;
  userAgent: string;
  seconds: number;
  pid: number;
}

const QUOTED = String.raw`"((?:[^"\\]|\\.)*)"`;
const COMBINED = new RegExp(
  String.raw`^(\S+) - - \[(\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\] ${QUOTED} (\d{3}) (\d+|-) ${QUOTED} ${QUOTED} rt=(\d+\.\d{3}) pid=(\d+)$`,
);

export function parseCombined(line: string): CombinedLine {
  const match = COMBINED.exec(line);
  if (!match) throw new Error(`not a combined line: ${JSON.stringify(line)}`);
  const [, remote, time, request, status, bytes, referer, userAgent, seconds, pid] = match;
  return {
    remote,
    time,
    request,
    status: Number(status),
    bytes,
    referer,
    userAgent,
    seconds: Number(seconds),
    pid: Number(pid),
  };
}

/** Send raw bytes over a socket (for requests fetch refuses to send) and return the whole answer. */
export function rawRequest(url: URL, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.end(text, "latin1"));
    let answer = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk) => (answer += chunk));
    socket.on("error", reject);
    socket.on("close", () => resolve(answer));
  });
}

/** The sum of a metric's samples in Prometheus text, e.g. every `http_requests_total{…}` line. */
export function metricSum(text: string, name: string): number {
  let sum = 0;
  for (const line of lines(text)) {
    const match = new RegExp(String.raw`^${name}(?:\{[^}]*\})? (\S+)$`).exec(line);
    if (match) sum += Number(match[1]);
  }
  return sum;
}
