import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_APP, type UserProject, userProject } from "./_project.ts";

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** The real CLI, started the way a web server starts a CGI program: meta-variables in env, body on stdin. */
function runCgi(
  project: UserProject,
  env: Record<string, string>,
  args: string[] = [],
  body?: Buffer,
  entry = FIXTURE_APP,
): Promise<Run> {
  const child = spawn(
    process.execPath,
    [join(project.dir, "node_modules/@anyserver/core/dist/cli.js"), "serve", entry, "-s", "cgi", ...args],
    {
      cwd: project.dir,
      env: { PATH: process.env.PATH, NO_COLOR: "1", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  const stdout: Buffer[] = [];
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  child.stdin.end(body);
  return new Promise((resolve) =>
    child.once("close", (code) => resolve({ code, stdout: Buffer.concat(stdout), stderr })),
  );
}

const GET = {
  GATEWAY_INTERFACE: "CGI/1.1",
  SERVER_PROTOCOL: "HTTP/1.1",
  REQUEST_METHOD: "GET",
  SCRIPT_NAME: "/app.cgi",
  HTTP_HOST: "example.test:8080",
  REMOTE_ADDR: "192.0.2.9",
};

describe("anyserver serve -s cgi", () => {
  let project: UserProject;
  beforeAll(() => {
    project = userProject();
  });
  afterAll(() => project?.remove());

  it("writes the response, and nothing else, to stdout and exits 0 with stderr empty", async () => {
    const run = await runCgi(project, { ...GET, REQUEST_URI: "/cookies" });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout.toString("latin1")).toBe(
      "Status: 201 Made\r\ncontent-type: text/plain\r\nset-cookie: a=1; Path=/\r\nset-cookie: b=2; HttpOnly\r\ncontent-length: 11\r\n\r\ntwo cookies",
    );
  });

  it("sends what the app prints while it loads to stderr, not into the response", async () => {
    const entry = join(project.dir, "noisy.mjs");
    writeFileSync(entry, 'console.log("loading the noisy app");\nexport default () => new Response("ok");\n');
    const run = await runCgi(project, { ...GET, REQUEST_URI: "/" }, [], undefined, entry);
    expect(run.code).toBe(0);
    expect(run.stdout.toString("latin1")).toBe(
      "Status: 200 OK\r\ncontent-type: text/plain;charset=UTF-8\r\ncontent-length: 2\r\n\r\nok",
    );
    expect(run.stderr).toBe("loading the noisy app\n");
  });

  it("reads exactly CONTENT_LENGTH bytes of stdin as the body", async () => {
    const run = await runCgi(
      project,
      {
        ...GET,
        REQUEST_METHOD: "POST",
        REQUEST_URI: "/echo?q=1",
        CONTENT_LENGTH: "5",
        CONTENT_TYPE: "text/plain",
      },
      [],
      Buffer.from("hello, and bytes past CONTENT_LENGTH"),
    );
    expect(run.code).toBe(0);
    const body = run.stdout.subarray(run.stdout.indexOf("\r\n\r\n") + 4).toString();
    expect(JSON.parse(body)).toMatchObject({
      method: "POST",
      url: "http://example.test:8080/echo?q=1",
      body: "hello",
      remoteAddress: "192.0.2.9",
      headers: { "content-type": "text/plain", "content-length": "5", host: "example.test:8080" },
    });
  });

  it("rebuilds the URL from SCRIPT_NAME, PATH_INFO and QUERY_STRING when there is no REQUEST_URI", async () => {
    const run = await runCgi(project, {
      ...GET,
      SCRIPT_NAME: "",
      PATH_INFO: "/echo",
      QUERY_STRING: "a=%20b",
      HTTPS: "on",
      HTTP_HOST: "",
      SERVER_NAME: "example.test",
      SERVER_PORT: "443",
    });
    const body = run.stdout.subarray(run.stdout.indexOf("\r\n\r\n") + 4).toString();
    expect(JSON.parse(body).url).toBe("https://example.test/echo?a=%20b");
  });

  it("answers HEAD with the head only", async () => {
    const run = await runCgi(project, { ...GET, REQUEST_METHOD: "HEAD", REQUEST_URI: "/large?size=1000" });
    expect(run.stdout.toString("latin1")).toBe("Status: 200 OK\r\ncontent-length: 1000\r\n\r\n");
  });

  it("writes a full status line and Date for an nph- script", async () => {
    const run = await runCgi(project, { ...GET, SCRIPT_NAME: "/cgi-bin/nph-app", REQUEST_URI: "/cookies" });
    const head = run.stdout.toString("latin1").split("\r\n\r\n")[0].split("\r\n");
    expect(head[0]).toBe("HTTP/1.1 201 Made");
    expect(head).toContain("set-cookie: b=2; HttpOnly");
    expect(head.some((line) => /^date: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$/.test(line))).toBe(true);
  });

  it("answers 413 past --body-limit without reading the body", async () => {
    const run = await runCgi(
      project,
      { ...GET, REQUEST_METHOD: "POST", REQUEST_URI: "/upload", CONTENT_LENGTH: "2048" },
      ["--body-limit", "1kb"],
      Buffer.alloc(2048),
    );
    expect(run.code).toBe(0);
    expect(run.stdout.toString("latin1")).toBe(
      "Status: 413 Payload Too Large\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 17\r\n\r\nPayload Too Large",
    );
    expect(run.stderr).toBe("");
  });

  it("logs a failing app as one line on stderr and answers 500", async () => {
    const run = await runCgi(project, { ...GET, REQUEST_URI: "/throw" });
    expect(run.code).toBe(0);
    expect(run.stdout.toString("latin1")).toMatch(/^Status: 500 Internal Server Error\r\n/);
    expect(run.stderr).toMatch(
      /^\[anyserver\] GET \/throw failed: Error: the app failed \(at \/\S+\/adapter-cgi\/test\/fixtures\/app\.mjs:\d+:\d+\)\n$/,
    );
  });

  it("says what to do when it is not started by a web server, and exits 1", async () => {
    const run = await runCgi(project, {});
    expect(run.code).toBe(1);
    expect(run.stdout.length).toBe(0);
    expect(run.stderr).toBe(
      "[anyserver] No CGI request to answer: REQUEST_METHOD is not set. Run the app from a web server's CGI handler (see the @anyserver/adapter-cgi README), or leave out -s cgi to serve HTTP yourself.\n",
    );
  });

  it("refuses -w: the web server starts one process per request", async () => {
    const run = await runCgi(project, { ...GET, REQUEST_URI: "/echo" }, ["-w", "2"]);
    expect(run.code).toBe(1);
    expect(run.stdout.length).toBe(0);
    expect(run.stderr).toBe(
      '[anyserver] Server "cgi" cannot run workers (-w): it answers one request per process. Drop -w.\n',
    );
  });
});
