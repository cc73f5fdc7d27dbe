import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const SERVER = "hyper-express";
const CLI = join(
  dirname(createRequire(import.meta.url).resolve("@anyserver/core/package.json")),
  "dist/cli.js",
);
const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const APP = `export default { fetch: (request: Request) => new Response("hello from " + new URL(request.url).pathname) };\n`;
const folders: string[] = [];

/** A user's project with app.ts and a pnpm lockfile; with the adapter in node_modules when asked. */
function project(withAdapter: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), `anyserver-${SERVER}-cli-`));
  folders.push(dir);
  writeFileSync(join(dir, "app.ts"), APP);
  writeFileSync(join(dir, "pnpm-lock.yaml"), "lockfileVersion: '9.0'\n");
  if (withAdapter) {
    mkdirSync(join(dir, "node_modules/@anyserver"), { recursive: true });
    symlinkSync(PACKAGE_DIR, join(dir, `node_modules/@anyserver/adapter-${SERVER}`), "dir");
  }
  return dir;
}

function startCli(cwd: string, server: string, port = "0") {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  for (const key of Object.keys(env)) if (key.startsWith("npm_") || key === "PORT") delete env[key];
  const child = spawn(process.execPath, [CLI, "serve", "app.ts", "-s", server, "-p", port], { cwd, env });
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

describe(`anyserver serve -s ${SERVER}`, () => {
  it("serves the app from a project that has the adapter installed, and exits 0 on SIGTERM", async () => {
    const cli = startCli(project(true), SERVER);
    try {
      const url = await cli.ready;
      const response = await fetch(new URL("/hi", url));
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("hello from /hi");
      cli.child.kill("SIGTERM");
      expect(await cli.exited).toBe(0);
      expect(cli.stderr().split("\n")[0]).toBe(`[anyserver] starting ${SERVER} on http://127.0.0.1:0`);
      expect(cli.stderr()).toContain("[anyserver] SIGTERM: finishing in-flight requests, then exiting\n");
    } finally {
      cli.child.kill("SIGKILL");
    }
  });

  it("says a port in use is in use with the same line as -s node, and exits 1", async () => {
    const blocker = createServer().listen(0, "127.0.0.1");
    await once(blocker, "listening");
    const port = String((blocker.address() as { port: number }).port);
    try {
      const dir = project(true);
      const served = startCli(dir, SERVER, port);
      const node = startCli(dir, "node", port);
      expect(await served.exited).toBe(1);
      expect(await node.exited).toBe(1);
      const last = (cli: typeof served) => cli.stderr().trimEnd().split("\n").at(-1);
      expect(last(served)).toBe(
        `[anyserver] Port ${port} on 127.0.0.1 is already in use. Stop the process using it or choose another port with -p.`,
      );
      expect(last(served)).toBe(last(node));
    } finally {
      blocker.close();
    }
  });

  it("names the install command when the adapter is not installed", async () => {
    const cli = startCli(project(false), SERVER);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toBe(
      `[anyserver] Server "${SERVER}" is not installed. Run: pnpm add @anyserver/adapter-${SERVER}\n`,
    );
  });
});
