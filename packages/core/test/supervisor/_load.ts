import { get } from "node:http";

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
  /** Each request on a new connection (as browsers behind a proxy do), so every one is a hand-off to a worker. */
  fresh?: boolean;
}

export interface Load {
  /** Stop issuing requests; resolves once those in flight are answered. */
  stop(): Promise<LoadReport>;
  readonly report: LoadReport;
}

/** A bounded client loop on keep-alive connections (fetch): every response must be 200 with a worker pid. */
export function startLoad(
  url: URL,
  { concurrency, path = () => "/", pauseMs = 2, timeoutMs = 30_000, fresh = false }: LoadOptions,
): Load {
  const report: LoadReport = { ok: 0, failed: 0, errors: [], slowOk: 0, closing: 0, byPid: new Map() };
  let stopped = false;
  const loop = async (index: number) => {
    for (let n = 0; !stopped; n++) {
      const target = path(n, index);
      try {
        const { status, connection, body } = await (fresh ? getOnNewConnection : getKeepAlive)(
          new URL(target, url),
          timeoutMs,
        );
        const pid = Number(/(\d+)$/.exec(body)?.[1]);
        if (status !== 200 || !pid) throw new Error(`status ${status}: ${body.slice(0, 100)}`);
        report.ok++;
        if (target.startsWith("/slow")) report.slowOk++;
        if (connection === "close") report.closing++;
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

interface Answer {
  status: number;
  connection: string | null;
  body: string;
}

async function getKeepAlive(url: URL, timeoutMs: number): Promise<Answer> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return {
    status: response.status,
    connection: response.headers.get("connection"),
    body: await response.text(),
  };
}

function getOnNewConnection(url: URL, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false, timeout: timeoutMs }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("error", reject);
      response.on("end", () =>
        resolve({ status: response.statusCode!, connection: response.headers.connection ?? null, body }),
      );
    });
    request.on("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on("error", reject);
  });
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
