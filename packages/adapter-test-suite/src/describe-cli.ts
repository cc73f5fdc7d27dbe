import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

export interface DescribeCliOptions {
  /** The adapter package's folder: linked into a scratch project's node_modules as `packageName`. */
  packageDir: string;
  /**
   * The package users install.
   * @default `@anyserver/adapter-${server}`
   */
  packageName?: string;
}

const APP = `export default { fetch: (request: Request) => new Response("hello from " + new URL(request.url).pathname) };\n`;

/**
 * The CLI as a user meets it with `-s <server>`: the real `anyserver` binary in a child process,
 * from a scratch project that has the adapter installed (or not), with real signals.
 */
export function describeAdapterCli(server: string, options: DescribeCliOptions): void {
  const packageName = options.packageName ?? `@anyserver/adapter-${server}`;
  const cli = join(
    dirname(createRequire(import.meta.url).resolve("@anyserver/core/package.json")),
    "dist/cli.js",
  );
  const folders: string[] = [];

  /** A user's project with app.ts and a pnpm lockfile; with the adapter in node_modules when asked. */
  function project(withAdapter: boolean): string {
    const dir = mkdtempSync(join(tmpdir(), `anyserver-${server}-cli-`));
    folders.push(dir);
    writeFileSync(join(dir, "app.ts"), APP);
    writeFileSync(join(dir, "pnpm-lock.yaml"), "lockfileVersion: '9.0'\n");
    if (withAdapter) {
      mkdirSync(join(dir, "node_modules", dirname(packageName)), { recursive: true });
      symlinkSync(options.packageDir, join(dir, "node_modules", packageName), "dir");
    }
    return dir;
  }

  function start(cwd: string, name = server, port = "0") {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
    for (const key of Object.keys(env)) if (key.startsWith("npm_") || key === "PORT") delete env[key];
    const child = spawn(process.execPath, [cli, "serve", "app.ts", "-s", name, "-p", port], { cwd, env });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    const ready = new Promise<URL>((resolve, reject) => {
      child.stderr.on("data", () => {
        const match = /ready on (\S+)/.exec(stderr);
        if (match) resolve(new URL(match[1]));
      });
      exited.then((code) => reject(new Error(`the CLI exited with ${code}:\n${stderr}`)));
    });
    ready.catch(() => {}); // awaited by the cases that expect the server to start
    return { child, ready, exited, stderr: () => stderr };
  }

  afterAll(() => {
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  describe(`anyserver serve -s ${server}`, () => {
    it("serves the app from a project that has the adapter installed, and exits 0 on SIGTERM", async () => {
      const running = start(project(true));
      try {
        const url = await running.ready;
        const response = await fetch(new URL("/hi", url));
        expect(response.status).toBe(200);
        expect(await response.text()).toBe("hello from /hi");
        running.child.kill("SIGTERM");
        expect(await running.exited).toBe(0);
        expect(running.stderr().split("\n")[0]).toBe(`[anyserver] starting ${server} on http://127.0.0.1:0`);
        expect(running.stderr()).toContain(
          "[anyserver] SIGTERM: finishing in-flight requests, then exiting\n",
        );
      } finally {
        running.child.kill("SIGKILL");
      }
    });

    it("says a port in use is in use with the same line as -s node, and exits 1", async () => {
      const blocker = createServer().listen(0, "127.0.0.1");
      await once(blocker, "listening");
      const port = String((blocker.address() as { port: number }).port);
      try {
        const dir = project(true);
        const tried = start(dir, server, port);
        const node = start(dir, "node", port);
        expect(await tried.exited).toBe(1);
        expect(await node.exited).toBe(1);
        const last = (run: typeof tried) => run.stderr().trimEnd().split("\n").at(-1);
        expect(last(tried)).toBe(
          `[anyserver] Port ${port} on 127.0.0.1 is already in use. Stop the process using it or choose another port with -p.`,
        );
        expect(last(tried)).toBe(last(node));
      } finally {
        blocker.close();
      }
    });

    it("names the install command when the adapter is not installed", async () => {
      const running = start(project(false));
      expect(await running.exited).toBe(1);
      expect(running.stderr()).toBe(
        `[anyserver] Server "${server}" is not installed. Run: pnpm add ${packageName}\n`,
      );
    });
  });
}
