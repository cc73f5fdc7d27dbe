import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { servers } from "./_example.ts";

const CLI = fileURLToPath(new URL("../../../packages/core/dist/cli.js", import.meta.url));
const EXAMPLE_DIR = fileURLToPath(new URL("..", import.meta.url));

interface Started {
  child: ChildProcess;
  url: URL;
  /** Everything printed on stderr so far, and the exit code once the process has ended. */
  exited: Promise<{ code: number | null; stderr: string }>;
}

const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
});

/** `anyserver serve src/app.ts -p 0 ...args` in the example's folder, as a user starts it; resolves at `ready`. */
function startExample(args: string[]): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.PORT;
  const child = spawn(process.execPath, [CLI, "serve", "src/app.ts", "-p", "0", ...args], {
    cwd: EXAMPLE_DIR,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  running.add(child);
  let stderr = "";
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    child.once("close", (code) => {
      running.delete(child);
      resolve({ code, stderr });
    });
  });
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (chunk) => {
      stderr += chunk;
      const ready = /ready on (\S+) /.exec(stderr);
      if (ready) resolve({ child, url: new URL(ready[1]), exited });
    });
    exited.then(({ code }) => reject(new Error(`the CLI exited with ${code} before ready:\n${stderr}`)));
  });
}

for (const adapter of servers) {
  describe(`anyserver serve src/app.ts -s ${adapter.name}`, () => {
    it("serves the example and exits 0 on SIGTERM", async () => {
      const { child, url, exited } = await startExample(["-s", adapter.name]);
      expect(url.hostname).toBe("127.0.0.1");
      const home = await fetch(url);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain(`Served by <strong id="adapter">${adapter.name}</strong>`);
      const health = await (await fetch(new URL("/health", url))).json();
      expect(health).toMatchObject({ status: "ok", adapter: adapter.name });

      child.kill("SIGTERM");
      const { code, stderr } = await exited;
      expect(code).toBe(0);
      expect(stderr.trim().split("\n")).toEqual([
        `[anyserver] starting ${adapter.name} on http://127.0.0.1:0`,
        `[anyserver] ready on ${url.href} (pid ${child.pid})`,
        "[anyserver] SIGTERM: finishing in-flight requests, then exiting",
      ]);
    });

    it("ends an open event stream at the graceful timeout and exits 0", async () => {
      const { child, url, exited } = await startExample(["-s", adapter.name, "--graceful-timeout", "500ms"]);
      const stream = await fetch(new URL("/events?interval=50", url));
      const reader = stream.body!.getReader();
      expect((await reader.read()).done).toBe(false);
      child.kill("SIGTERM");
      // The server cuts the stream it could not finish: the client sees the end or a reset, never a hang.
      const ended = (async () => {
        for (;;) if ((await reader.read()).done) return "done";
      })().catch(() => "reset");
      expect(["done", "reset"]).toContain(await ended);
      expect((await exited).code).toBe(0);
    });
  });
}
