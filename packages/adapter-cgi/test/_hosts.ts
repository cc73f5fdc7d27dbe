import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@anyserver/adapter-test-suite";

/**
 * Real web servers for the gateway tests (also used by @anyserver/adapter-fastcgi's tests):
 * each runs in the foreground on a free loopback port with a config written to a temp dir
 * that also holds its pid, error log and temp files.
 */
export interface Host {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly port: number;
  readonly dir: string;
  /** The host's error log so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

const APT_PACKAGE: Record<string, string> = { lighttpd: "lighttpd", nginx: "nginx", fcgiwrap: "fcgiwrap" };

/** The binary's path; a missing host fails the test with the command that installs it (never a silent skip). */
export function requireBinary(name: "lighttpd" | "nginx" | "fcgiwrap"): string {
  for (const dir of ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"]) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  try {
    return execFileSync("which", [name], { encoding: "utf8" }).trim();
  } catch {
    throw new Error(
      `[anyserver test] ${name} is not installed; these tests run the app behind it. Run: apt-get install -y ${APT_PACKAGE[name]}`,
    );
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `anyserver-${prefix}-`));
}

/** Resolves once something accepts connections at `target` (a port, or a unix socket path). */
export async function waitForListener(
  target: number | string,
  child?: ChildProcess,
  what = "host",
): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child && child.exitCode !== null)
      throw new Error(`${what} exited with ${child.exitCode} before listening`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = typeof target === "number" ? connect(target, "127.0.0.1") : connect(target);
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not listen on ${target} within 10 s`);
}

/** Start a host in its own process group, so stopping it also stops the workers it forked. */
function spawnHost(binary: string, args: string[]): ChildProcess {
  return spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"], detached: true });
}

/** Stop a child and its process group: `signal`, then SIGKILL if it is still there after 5 s. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  const group = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // Not a group leader (spawned without detached), or the group is gone: signal the child.
      child.kill(name);
    }
  };
  const running = child.exitCode === null && child.signalCode === null;
  const exited = running ? new Promise<void>((resolve) => child.once("exit", () => resolve())) : undefined;
  group(signal);
  if (exited) {
    const timer = setTimeout(() => group("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }
  // Forked workers (fcgiwrap's) may outlive their parent for a moment: make sure they go too.
  group("SIGKILL");
}

interface HostSpec {
  name: "lighttpd" | "nginx";
  /** The config file's text for this port. */
  config(port: number, dir: string): string;
  args(configFile: string, dir: string): string[];
  stopSignal: NodeJS.Signals;
}

/** Start a host on a free port; a port taken between choosing and binding is retried. */
async function startHost(spec: HostSpec, dir: string): Promise<Host> {
  const binary = requireBinary(spec.name);
  const errorLog = join(dir, `${spec.name}-error.log`);
  const log = () => (existsSync(errorLog) ? readFileSync(errorLog, "utf8") : "");
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const configFile = join(dir, `${spec.name}.conf`);
    writeFileSync(configFile, spec.config(port, dir));
    const child = spawnHost(binary, spec.args(configFile, dir));
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    try {
      await waitForListener(port, child, spec.name);
    } catch (error) {
      await stopChild(child, "SIGKILL");
      if (attempt < 3 && /in use/i.test(stderr + log())) continue;
      throw new Error(`${(error as Error).message}\n${stderr}\n${log()}`);
    }
    return {
      origin: `http://127.0.0.1:${port}`,
      port,
      dir,
      log: () => `${stderr}${log()}`,
      stop: () => stopChild(child, spec.stopSignal),
    };
  }
}

/** lighttpd with `config` (modules, cgi.assign, rewrites) added to the basics: port, logs, temp dirs. */
export function startLighttpd(dir: string, config: string): Promise<Host> {
  mkdirSync(join(dir, "uploads"), { recursive: true });
  return startHost(
    {
      name: "lighttpd",
      config: (port) =>
        [
          `server.bind = "127.0.0.1"`,
          `server.port = ${port}`,
          `server.errorlog = "${dir}/lighttpd-error.log"`,
          `server.upload-dirs = ( "${dir}/uploads" )`,
          config,
        ].join("\n"),
      args: (file) => ["-D", "-f", file],
      stopSignal: "SIGTERM",
    },
    dir,
  );
}

/** nginx (master in the foreground, one worker) with `server` as the body of its server block. */
export function startNginx(dir: string, server: string, http = ""): Promise<Host> {
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"];
  for (const name of temp) mkdirSync(join(dir, name), { recursive: true });
  return startHost(
    {
      name: "nginx",
      config: (port) => `daemon off;
${process.getuid?.() === 0 ? "user root;" : ""}
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log info;
events { worker_connections 512; }
http {
  access_log off;
  ${temp.map((name) => `${name}_temp_path ${dir}/${name};`).join("\n  ")}
  client_max_body_size 0;
  ${http}
  server {
    # A fixed send buffer (no autotuning to MiBs) keeps back-pressure tests independent of machine load.
    listen 127.0.0.1:${port} sndbuf=256k;
    ${server}
  }
}
`,
      args: (file) => ["-e", `${dir}/nginx-error.log`, "-p", `${dir}/`, "-c", file],
      stopSignal: "SIGQUIT",
    },
    dir,
  );
}

/** fcgiwrap on a unix socket in `dir`: runs SCRIPT_FILENAME as a CGI program for each FastCGI request. */
export async function startFcgiwrap(dir: string): Promise<{ socket: string; stop(): Promise<void> }> {
  const binary = requireBinary("fcgiwrap");
  const socket = join(dir, "fcgiwrap.sock");
  // -f: the program's stderr goes over FastCGI into nginx's error log, where an admin looks.
  const child = spawnHost(binary, ["-f", "-c", "4", "-s", `unix:${socket}`]);
  child.stderr!.resume();
  await waitForListener(socket, child, "fcgiwrap");
  return { socket, stop: () => stopChild(child) };
}
