/** What a load run saw. */
export interface LoadReport {
  ok: number;
  failed: number;
  /** One line per failure: the path and what went wrong. */
  errors: string[];
  /** Successful `/slow` requests. */
  slowOk: number;
  /** Successful answers that asked the client to close the connection (a draining server's). */
  closing: number;
  /** Requests answered, by worker pid. */
  byPid: Map<number, number>;
}

export interface LoadOptions {
  /** Loops running at once, each one request after the other on keep-alive connections. */
  concurrency: number;
  /** The path of a loop's n-th request. */
  path?: (n: number, loop: number) => string;
  /** Pause between a loop's requests, so the load stays bounded on a small box. */
  pauseMs?: number;
  /** A request not answered in this time counts as failed. */
  timeoutMs?: number;
}

export interface Load {
  /** Stop issuing requests; resolves once those in flight are answered. */
  stop(): Promise<LoadReport>;
  readonly report: LoadReport;
}

/** A bounded client loop on keep-alive connections (fetch): every response must be 200 with a worker pid. */
export function startLoad(
  url: URL,
  { concurrency, path = () => "/", pauseMs = 2, timeoutMs = 30_000 }: LoadOptions,
): Load {
  const report: LoadReport = { ok: 0, failed: 0, errors: [], slowOk: 0, closing: 0, byPid: new Map() };
  let stopped = false;
  const loop = async (index: number) => {
    for (let n = 0; !stopped; n++) {
      const target = path(n, index);
      try {
        const response = await fetch(new URL(target, url), { signal: AbortSignal.timeout(timeoutMs) });
        const body = await response.text();
        const pid = Number(/(\d+)$/.exec(body)?.[1]);
        if (response.status !== 200 || !pid)
          throw new Error(`status ${response.status}: ${body.slice(0, 100)}`);
        report.ok++;
        if (target.startsWith("/slow")) report.slowOk++;
        if (response.headers.get("connection") === "close") report.closing++;
        report.byPid.set(pid, (report.byPid.get(pid) ?? 0) + 1);
      } catch (error) {
        report.failed++;
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        report.errors.push(
          `${target}: ${(error as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ""}`,
        );
      }
      if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  };
  const loops = Array.from({ length: concurrency }, (_, index) => loop(index));
  return {
    report,
    async stop() {
      stopped = true;
      await Promise.all(loops);
      return report;
    },
  };
}

/** Wait until the load has had `count` more successful answers (or `timeoutMs` passed). */
export async function answered(load: Load, count: number, timeoutMs = 20_000): Promise<void> {
  const target = load.report.ok + count;
  const deadline = Date.now() + timeoutMs;
  while (load.report.ok < target) {
    if (Date.now() > deadline)
      throw new Error(`only ${load.report.ok} of ${target} answers within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
