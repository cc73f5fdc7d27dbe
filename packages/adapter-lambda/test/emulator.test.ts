import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { silentLogger } from "@anyserver/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import lambdaAdapter from "../src/index.ts";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const cli = fileURLToPath(new URL("../../core/dist/cli.js", import.meta.url));

async function app(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === "/cookies") {
    const headers = new Headers();
    headers.append("set-cookie", "a=1");
    headers.append("set-cookie", "b=2");
    return new Response("two", { headers });
  }
  if (url.pathname === "/binary") return new Response(Uint8Array.from([0, 255, 1, 254]));
  const body = new Uint8Array(await request.arrayBuffer());
  return Response.json({
    path: url.pathname,
    query: url.searchParams.getAll("q"),
    cookie: request.headers.get("cookie"),
    body: Buffer.from(body).toString("hex"),
  });
}

describe("lambda adapter: local Function URL emulator (-s lambda)", () => {
  let server: Awaited<ReturnType<typeof lambdaAdapter.serve>>;
  beforeAll(async () => {
    server = await lambdaAdapter.serve(app, { host: "127.0.0.1", port: 0, logger: silentLogger });
  });
  afterAll(() => server?.close({ timeout: 1000 }));

  it("runs each HTTP request through lambda(app) as a Function URL event", async () => {
    const response = await fetch(new URL("/a%20b/c?q=1&q=x%26y", server.url), {
      method: "POST",
      headers: { cookie: "s=1; t=2", "content-type": "application/octet-stream" },
      body: Uint8Array.from([1, 2, 3, 250]),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      path: "/a%20b/c",
      query: ["1", "x&y"],
      cookie: "s=1; t=2",
      body: "010203fa",
    });
    expect(server.adapter).toBe("lambda");
  });

  it("sends every cookie and binary bytes back", async () => {
    const cookies = await fetch(new URL("/cookies", server.url));
    expect(cookies.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    const binary = await fetch(new URL("/binary", server.url));
    expect(new Uint8Array(await binary.arrayBuffer())).toEqual(Uint8Array.from([0, 255, 1, 254]));
  });
});

describe("lambda adapter: local Function URL emulator, RESPONSE_STREAM mode", () => {
  let server: Awaited<ReturnType<typeof lambdaAdapter.serve>>;
  let releaseSecond: () => void = () => {};
  const second = new Promise<void>((resolve) => (releaseSecond = resolve));
  let aborted: (reason: unknown) => void = () => {};
  const abortSeen = new Promise<unknown>((resolve) => (aborted = resolve));
  const encoder = new TextEncoder();

  function streamingApp(request: Request): Response {
    if (new URL(request.url).pathname === "/forever") {
      request.signal.addEventListener("abort", () => aborted(request.signal.reason));
      const body = new ReadableStream({ start: (stream) => stream.enqueue(encoder.encode("tick\n")) });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    }
    const body = new ReadableStream({
      async start(stream) {
        stream.enqueue(encoder.encode("data: first\n\n"));
        await second;
        stream.enqueue(encoder.encode("data: second\n\n"));
        stream.close();
      },
    });
    const headers = new Headers({ "content-type": "text/event-stream" });
    headers.append("set-cookie", "s=1");
    headers.append("set-cookie", "t=2");
    return new Response(body, { status: 202, headers });
  }

  beforeAll(async () => {
    server = await lambdaAdapter.serve(streamingApp, {
      host: "127.0.0.1",
      port: 0,
      logger: silentLogger,
      streaming: true,
    });
  });
  afterAll(() => server?.close({ timeout: 1000 }));

  it("streams the response: status, headers and cookies first, then each chunk as the app writes it", async () => {
    const response = await fetch(server.url);
    expect(response.status).toBe(202);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(response.headers.getSetCookie()).toEqual(["s=1", "t=2"]);
    const reader = response.body!.getReader();
    let text = "";
    while (!text.includes("first")) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toBe("data: first\n\n");
    releaseSecond();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      text += new TextDecoder().decode(chunk.value);
    expect(text).toBe("data: first\n\ndata: second\n\n");
  });

  it("aborts request.signal when the client goes away mid-stream", async () => {
    const controller = new AbortController();
    const response = await fetch(new URL("/forever", server.url), { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    expect(await abortSeen).toBeInstanceOf(DOMException);
  });
});

describe("lambda adapter: anyserver serve -s lambda", () => {
  let project: string;
  let child: ChildProcess | undefined;
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), "anyserver-lambda-"));
    mkdirSync(join(project, "node_modules", "@anyserver"), { recursive: true });
    symlinkSync(packageDir, join(project, "node_modules", "@anyserver", "adapter-lambda"), "dir");
    writeFileSync(
      join(project, "app.mjs"),
      'export default { fetch: (request) => new Response("hello from " + new URL(request.url).pathname) };\n',
    );
  });
  afterAll(() => {
    if (child?.exitCode === null) child.kill("SIGKILL");
    rmSync(project, { recursive: true, force: true });
  });

  it("serves the app locally through the Lambda handler and stops on SIGTERM", async () => {
    child = spawn(process.execPath, [cli, "serve", "app.mjs", "-s", "lambda", "-p", "0"], {
      cwd: project,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    const ready = new Promise<string>((resolve, reject) => {
      child!.stderr!.on("data", (chunk) => {
        stderr += chunk;
        const url = /ready on (\S+)/.exec(stderr)?.[1];
        if (url) resolve(url);
      });
      child!.once("exit", (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    const url = await ready;
    const response = await fetch(new URL("/hi", url));
    expect(await response.text()).toBe("hello from /hi");
    expect(stderr).toContain(
      "[anyserver] lambda: each request runs as a Function URL event (BUFFERED) through lambda(app), as it would on AWS",
    );
    const exited = new Promise<number | null>((resolve) => child!.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
