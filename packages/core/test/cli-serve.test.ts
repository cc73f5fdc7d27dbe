import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { selfSignedTls } from "@anyserver/adapter-test-suite";
import { describe, expect, it } from "vitest";
import { collect, freePort, HELLO_APP, project, runCli, startCli, waitForReady } from "./_cli.ts";
import { adapterPath, requireBuilt } from "./supervisor/_fleet.ts";

/** `anyserver servers` in `dir`, exit 0, as rows of columns (columns are two or more spaces apart). */
async function serversTable(dir: string): Promise<string[][]> {
  const result = await runCli(["servers"], { cwd: dir });
  expect(result.code).toBe(0);
  return result.stdout
    .trim()
    .split("\n")
    .map((line) => line.split(/\s{2,}/));
}

const version = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;

describe("anyserver serve", () => {
  it("prints starting and ready with the real URL for -p 0, serves, and exits 0 on SIGTERM", async () => {
    const dir = project({ "app.ts": HELLO_APP });
    const child = startCli(["serve", "app.ts", "-p", "0"], { cwd: dir });
    const done = collect(child);
    const url = await waitForReady(child);
    expect(url.hostname).toBe("127.0.0.1");
    expect(Number(url.port)).toBeGreaterThan(0);
    const response = await fetch(new URL("/hi", url));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("hello from /hi");
    child.kill("SIGTERM");
    const result = await done;
    expect(result.code).toBe(0);
    const lines = result.stderr.trim().split("\n");
    expect(lines[0]).toBe("[anyserver] starting node on http://127.0.0.1:0");
    expect(lines[1]).toBe(`[anyserver] ready on ${url.href} (pid ${child.pid})`);
  });

  it("logs an app's error in one line naming the line of its code that threw, and answers 500", async () => {
    const dir = project({
      "app.mts":
        'import { findUser } from "./lib/users.mts";\nexport default (request: Request) => Response.json(findUser(new URL(request.url).searchParams.get("id")));\n',
      "lib/users.mts":
        "const users = new Map([['1', { name: 'Ada' }]]);\nexport function findUser(id: string | null) {\n  return { name: users.get(id ?? '')!.name };\n}\n",
    });
    const child = startCli(["serve", "app.mts", "-p", "0"], { cwd: dir });
    const done = collect(child);
    const url = await waitForReady(child);
    expect(await (await fetch(new URL("/?id=1", url))).json()).toEqual({ name: "Ada" });
    const failed = await fetch(new URL("/?id=2", url));
    expect(failed.status).toBe(500);
    expect(await failed.text()).toBe("Internal Server Error");
    child.kill("SIGTERM");
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      "\n[anyserver] GET /?id=2 failed: TypeError: Cannot read properties of undefined (reading 'name') (at lib/users.mts:3:36)\n",
    );
  });

  it("finishes a request in flight before exiting on SIGINT", async () => {
    const dir = project({
      "app.mjs":
        'export const fetch = async () => { await new Promise((r) => setTimeout(r, 700)); return new Response("slow but done"); };\n',
    });
    const child = startCli(["serve", "app.mjs", "-p", "0"], { cwd: dir });
    const done = collect(child);
    const url = await waitForReady(child);
    const slow = fetch(url);
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill("SIGINT");
    const response = await slow;
    expect(response.status).toBe(200);
    expect(response.headers.get("connection")).toBe("close");
    expect(await response.text()).toBe("slow but done");
    expect((await done).code).toBe(0);
  });

  it("listens on $PORT when -p is not given", async () => {
    const port = await freePort();
    const dir = project({ "app.js": 'export default () => new Response("fn");\n' });
    const child = startCli(["serve"], { cwd: dir, env: { PORT: String(port) } });
    const done = collect(child);
    const url = await waitForReady(child);
    expect(url.port).toBe(String(port));
    expect(await (await fetch(url)).text()).toBe("fn");
    child.kill("SIGTERM");
    expect((await done).code).toBe(0);
  });

  it("serves HTTPS with --tls-cert and --tls-key", async () => {
    const dir = project({ "app.ts": HELLO_APP });
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    const child = startCli(["serve", "app.ts", "-p", "0", "--tls-cert", "cert.pem", "--tls-key", "key.pem"], {
      cwd: dir,
      env: { NODE_TLS_REJECT_UNAUTHORIZED: "0" },
    });
    const done = collect(child);
    const url = await waitForReady(child);
    expect(url.protocol).toBe("https:");
    const body = execFileSync("curl", ["-sk", new URL("/secure", url).href], { encoding: "utf8" });
    expect(body).toBe("hello from /secure");
    child.kill("SIGTERM");
    expect((await done).code).toBe(0);
  });
});

describe("anyserver serve --http2", () => {
  it("speaks HTTP/2 and HTTP/1.1 on one TLS port, and the access log tells them apart", async () => {
    const { cert, key } = selfSignedTls();
    const dir = project({ "app.ts": HELLO_APP, "cert.pem": cert.toString(), "key.pem": key.toString() });
    const flags = ["-p", "0", "--tls-cert", "cert.pem", "--tls-key", "key.pem", "--http2", "-l"];
    const child = startCli(["serve", "app.ts", ...flags], { cwd: dir });
    const done = collect(child);
    const url = await waitForReady(child);
    const curl = (version: string, path: string) =>
      execFileSync("curl", ["-sk", version, "-w", " %{http_version}", new URL(path, url).href], {
        encoding: "utf8",
      });
    expect(curl("--http2", "/two")).toBe("hello from /two 2");
    expect(curl("--http1.1", "/one")).toBe("hello from /one 1.1");
    child.kill("SIGTERM");
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stderr.split("\n")[0]).toBe("[anyserver] starting node on https://127.0.0.1:0");
    expect(result.stdout).toMatch(/"GET \/two HTTP\/2\.0" 200 15 /);
    expect(result.stdout).toMatch(/"GET \/one HTTP\/1\.1" 200 15 /);
  });
});

describe("anyserver commands", () => {
  it("prints its version", async () => {
    const result = await runCli(["--version"]);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("prints help with every serve option", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    for (const flag of [
      "-s, --server",
      "-i, --ip, --host",
      "-p, --port",
      "--tls-cert",
      "--graceful-timeout",
    ]) {
      expect(result.stdout).toContain(flag);
    }
  });

  it("lists servers: built in, missing with the install command", async () => {
    const rows = await serversTable(project({ "package-lock.json": "{}" }));
    expect(rows[0]).toEqual(["SERVER", "STATUS", "VERSION", "PACKAGE", "SUPPORTS"]);
    expect(rows).toContainEqual([
      "node",
      "built in",
      version,
      "@anyserver/core",
      "workers,websocket,http2",
      "node:http, node:https and node:http2, built in",
    ]);
    expect(rows).toContainEqual([
      "fastify",
      "missing",
      "-",
      "@anyserver/adapter-fastify",
      "-",
      "install: npm install @anyserver/adapter-fastify",
    ]);
  });

  it("lists what each installed server supports, and a community adapter that fails to load", async () => {
    const dir = project({
      "node_modules/anyserver-adapter-broken/package.json":
        '{ "name": "anyserver-adapter-broken", "version": "1.2.3", "main": "index.js" }',
      "node_modules/anyserver-adapter-broken/index.js": 'throw new Error("broken on purpose");\n',
    });
    mkdirSync(join(dir, "node_modules", "@anyserver"));
    for (const name of ["fastify", "uws", "cgi"]) {
      requireBuilt(adapterPath(`adapter-${name}`));
      const target = fileURLToPath(new URL(`../../adapter-${name}`, import.meta.url));
      symlinkSync(target, join(dir, "node_modules", "@anyserver", `adapter-${name}`));
    }
    const rows = await serversTable(dir);
    const supports = Object.fromEntries(rows.map((row) => [row[0], row[4]]));
    expect(supports).toMatchObject({
      fastify: "workers,websocket,http2",
      uws: "workers,websocket",
      cgi: "-",
      koa: "-",
      broken: "-",
    });
    expect(rows.find((row) => row[0] === "broken")).toEqual([
      "broken",
      "installed",
      "1.2.3",
      "anyserver-adapter-broken",
      "-",
      'Loading server "anyserver-adapter-broken" failed: broken on purpose',
    ]);
  });
});

describe("anyserver serve --watch", () => {
  it("restarts when a module the app imports changes, and stops on SIGTERM", async () => {
    const dir = project({
      "package.json": '{ "type": "module" }',
      "app.ts":
        'import { greeting } from "./lib/greeting.ts";\nexport default () => new Response(greeting);\n',
      "lib/greeting.ts": 'export const greeting = "first";\n',
    });
    const port = await freePort();
    const child = startCli(["serve", "app.ts", "--watch", "-p", String(port)], { cwd: dir });
    const done = collect(child);
    const url = await waitForReady(child);
    expect(await (await fetch(url)).text()).toBe("first");
    writeFileSync(join(dir, "lib/greeting.ts"), 'export const greeting = "second";\n');
    // Bounded: the restart takes well under a second; give up after 10 s.
    let body = "first";
    for (let tries = 0; tries < 100 && body !== "second"; tries++) {
      await sleep(100);
      body = await fetch(url).then(
        (response) => response.text(),
        () => "down",
      );
    }
    expect(body).toBe("second");
    child.kill("SIGTERM");
    const result = await done;
    expect(result.code).toBe(0);
    const lines = result.stderr.trim().split("\n");
    expect(lines.filter((line) => line.startsWith(`[anyserver] ready on ${url.href}`))).toHaveLength(2);
    expect(lines.at(-1)).toBe("[anyserver] SIGTERM: finishing in-flight requests, then exiting");
    await expect(fetch(url)).rejects.toThrow();
  });
});
