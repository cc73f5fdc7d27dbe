import { get } from "node:http";

/** One GET on a new connection (no keep-alive): new connections reach newly started workers. */
export function freshGet(url: URL, timeoutMs = 5000): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false, timeout: timeoutMs }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => {
        const pid = Number(/(\d+)$/.exec(body)?.[1]);
        if (response.statusCode === 200 && pid) resolve(pid);
        else reject(new Error(`status ${response.statusCode}: ${body}`));
      });
    });
    request.on("timeout", () => request.destroy(new Error("timed out")));
    request.on("error", reject);
  });
}

/**
 * Fire a fresh-connection GET every `everyMs` (without waiting for the previous one, which may be
 * stuck on a dying worker) until one is answered by a pid not in `known`; resolves with that pid
 * and the time it answered.
 */
export function newcomer(url: URL, known: Iterable<number>, timeoutMs = 15_000, everyMs = 25) {
  const old = new Set(known);
  return new Promise<{ pid: number; at: number }>((resolve, reject) => {
    const timer = setInterval(() => {
      freshGet(url).then(
        (pid) => {
          if (old.has(pid)) return;
          finish();
          resolve({ pid, at: performance.now() });
        },
        () => {},
      );
    }, everyMs);
    const deadline = setTimeout(() => {
      finish();
      reject(new Error(`no new worker answered within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = () => {
      clearInterval(timer);
      clearTimeout(deadline);
    };
  });
}
