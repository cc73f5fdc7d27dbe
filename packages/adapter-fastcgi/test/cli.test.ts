import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Host, stopChild } from "../../adapter-cgi/test/_hosts.ts";
import { type UserProject, userProject } from "../../adapter-cgi/test/_project.ts";
import { startNginxFor } from "./_nginx.ts";

const APP = fileURLToPath(new URL("../../adapter-cgi/test/fixtures/app.mjs", import.meta.url));

interface Cli {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** The real CLI of the user's project, as a user runs it. */
function startCli(project: UserProject, args: string[]): Cli {
  const child = spawn(
    process.execPath,
    [join(project.dir, "node_modules/@anyserver/core/dist/cli.js"), "serve", APP, "-s", "fastcgi", ...args],
    { cwd: project.dir, env: { ...process.env, NO_COLOR: "1", PORT: "" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

async function ready(cli: Cli): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const match = /ready on (\S+)/.exec(cli.stderr());
    if (match) return match[1];
    if (cli.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the CLI did not get ready:\n${cli.stderr()}`);
}

describe("anyserver serve -s fastcgi", () => {
  let project: UserProject;
  const started: { cli?: Cli; nginx?: Host }[] = [];

  beforeAll(() => {
    project = userProject(["adapter-fastcgi"]);
  });
  afterAll(async () => {
    for (const { cli, nginx } of started) {
      await nginx?.stop();
      if (cli) await stopChild(cli.child, "SIGKILL");
    }
    project?.remove();
  });

  it("listens for FastCGI on -p, serves through nginx, and exits 0 on SIGTERM", async () => {
    const cli = startCli(project, ["-p", "0"]);
    const entry: { cli?: Cli; nginx?: Host } = { cli };
    started.push(entry);
    const url = new URL(await ready(cli));
    expect(url.protocol).toBe("fcgi:");
    entry.nginx = await startNginxFor({ port: Number(url.port) }, join(project.dir, "nginx-tcp"));
    const echo = await (await fetch(`${entry.nginx.origin}/echo?via=cli`)).json();
    expect(echo).toMatchObject({ adapter: "fastcgi", url: `${entry.nginx.origin}/echo?via=cli` });
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
    expect(cli.stderr().split("\n")).toEqual([
      "[anyserver] starting fastcgi on http://127.0.0.1:0",
      `[anyserver] ready on ${url.href} (pid ${cli.child.pid})`,
      "[anyserver] SIGTERM: finishing in-flight requests, then exiting",
      "",
    ]);
  });

  it("listens on --socket, replacing a stale socket file, and removes it on exit", async () => {
    const socket = join(project.dir, "stale.sock");
    // A socket file whose server died without removing it.
    const dead = spawn(process.execPath, [
      "-e",
      `require("net").createServer().listen(${JSON.stringify(socket)}, () => process.kill(process.pid, "SIGKILL"))`,
    ]);
    await new Promise((resolve) => dead.once("close", resolve));
    expect(existsSync(socket)).toBe(true);
    const cli = startCli(project, ["--socket", socket]);
    const entry: { cli?: Cli; nginx?: Host } = { cli };
    started.push(entry);
    expect(await ready(cli)).toBe(`unix:${socket}`);
    entry.nginx = await startNginxFor({ socket }, join(project.dir, "nginx-unix"));
    expect((await fetch(`${entry.nginx.origin}/echo`)).status).toBe(200);
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
    expect(cli.stderr()).toContain(`[anyserver] starting fastcgi on unix:${socket}\n`);
    expect(existsSync(socket)).toBe(false);
  });

  it("refuses a socket a running server answers on, with one line and exit 1", async () => {
    const socket = join(project.dir, "busy.sock");
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(socket, resolve));
    try {
      const cli = startCli(project, ["--socket", socket]);
      started.push({ cli });
      expect(await cli.exited).toBe(1);
      expect(cli.stderr()).toBe(
        `[anyserver] starting fastcgi on unix:${socket}\n[anyserver] Socket ${socket} is in use by a running server. Stop it or choose another --socket path.\n`,
      );
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it("says FastCGI has no TLS when given --tls-cert and --tls-key", async () => {
    writeFileSync(join(project.dir, "cert.pem"), "not used");
    const cli = startCli(project, ["-p", "0", "--tls-cert", "cert.pem", "--tls-key", "cert.pem"]);
    started.push({ cli });
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toContain(
      "[anyserver] FastCGI has no TLS of its own: the web server in front terminates HTTPS. Remove --tls-cert and --tls-key.\n",
    );
  });

  it("runs -w 2 workers behind nginx on one socket", async () => {
    const socket = join(project.dir, "workers.sock");
    const cli = startCli(project, ["--socket", socket, "-w", "2"]);
    const entry: { cli?: Cli; nginx?: Host } = { cli };
    started.push(entry);
    await ready(cli);
    entry.nginx = await startNginxFor({ socket }, join(project.dir, "nginx-workers"));
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => fetch(`${entry.nginx!.origin}/echo`).then((r) => r.status)),
    );
    expect(responses).toEqual(Array(8).fill(200));
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
  });
});
