import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lighttpd, nginxFcgiwrap } from "./_cgi-hosts.ts";
import type { Host } from "./_hosts.ts";
import { FIXTURE_APP, type UserProject, userProject } from "./_project.ts";

/** Polls for a file the app writes (bounded), instead of sleeping a guessed time. */
async function waitForFile(path: string, host: Host): Promise<string> {
  for (let i = 0; i < 400; i++) {
    if (existsSync(path)) return readFileSync(path, "utf8");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${path} was never written. The host's log:\n${host.log()}`);
}

async function readChunk(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const { done, value } = await reader.read();
  if (done) throw new Error("the response ended early");
  return new TextDecoder().decode(value);
}

describe.each([lighttpd, nginxFcgiwrap])("cgi adapter behind $name", (cgiHost) => {
  let project: UserProject;
  let host: Host;

  beforeAll(async () => {
    project = userProject();
    host = await cgiHost.start(project, FIXTURE_APP);
  });
  afterAll(async () => {
    await host?.stop();
    project?.remove();
  });

  const get = (path: string, init?: RequestInit) => fetch(host.origin + path, init);

  it("gives the app the request's method, URL, headers and client address", async () => {
    const response = await get("/echo?x=1&y=a%20b", { headers: { "x-custom": "yes", cookie: "c=3" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    const echo = await response.json();
    expect(echo).toMatchObject({ method: "GET", remoteAddress: "127.0.0.1", adapter: "cgi", body: "" });
    expect(echo.url).toBe(`http://${cgiHost.hostHeader(host)}/echo?x=1&y=a%20b`);
    expect(echo.headers).toMatchObject({ "x-custom": "yes", cookie: "c=3" });
  });

  it("reads a POST body, with Content-Type and Content-Length once", async () => {
    const response = await get("/echo", {
      method: "POST",
      body: "hello",
      headers: { "content-type": "text/plain" },
    });
    const echo = await response.json();
    expect(echo.body).toBe("hello");
    expect(echo.headers["content-type"]).toBe("text/plain");
    expect(echo.headers["content-length"]).toBe("5");
  });

  it("sends the status and both Set-Cookie headers", async () => {
    const response = await get("/cookies");
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; HttpOnly"]);
    expect(await response.text()).toBe("two cookies");
  });

  it("streams a 10 MiB upload through the app's request.body", async () => {
    const upload = randomBytes(10 * 1024 * 1024);
    const response = await get("/upload", { method: "POST", body: upload });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      bytes: upload.length,
      sha256: createHash("sha256").update(upload).digest("hex"),
    });
  });

  it("streams the response: the start arrives while the app still holds the rest", async () => {
    const gate = join(project.dir, `gate-${Math.random()}`);
    // 16 KiB, because fcgiwrap (libfcgi) passes output on in 8 KiB blocks.
    const first = `${"x".repeat(16 * 1024)}first\n`;
    const response = await get(`/stream?pad=${16 * 1024}&gate=${encodeURIComponent(gate)}`);
    const reader = response.body!.getReader();
    let received = "";
    while (received.length < 8192) received += await readChunk(reader);
    expect(first.startsWith(received)).toBe(true);
    writeFileSync(gate, "open");
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      received += new TextDecoder().decode(chunk.value);
    }
    expect(received).toBe(`${first}second\n`);
  });

  it("answers HEAD with the headers of GET and no body", async () => {
    const response = await get("/large?size=1000", { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe("1000");
    expect(await response.text()).toBe("");
  });

  it("writes a 5 MiB string body whole", async () => {
    const response = await get(`/large?size=${5 * 1024 * 1024}`);
    const body = new Uint8Array(await response.arrayBuffer());
    expect(body.length).toBe(5 * 1024 * 1024);
    expect(body.every((byte) => byte === 97)).toBe(true);
  });

  it("keeps console.log out of the response: it goes to the host's error log", async () => {
    const response = await get("/log");
    expect(await response.text()).toBe("clean");
    for (let i = 0; i < 100 && !host.log().includes("and console.info"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(host.log()).toContain("a stray console.log");
    expect(host.log()).toContain("and console.info");
  });

  it("answers 500 when the app throws and logs one line to the host's error log", async () => {
    const response = await get("/throw");
    expect(response.status).toBe(500);
    expect(await response.text()).toBe("Internal Server Error");
    for (let i = 0; i < 100 && !host.log().includes("/throw failed"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(host.log()).toContain("[anyserver] GET /throw failed: Error: the app failed");
  });

  it("runs waitUntil work to its end before the program exits", async () => {
    const marker = join(project.dir, `wait-${Math.random()}`);
    const response = await get(`/wait-until?marker=${encodeURIComponent(marker)}`);
    expect(await response.text()).toBe("answered");
    expect(await waitForFile(marker, host)).toBe("done");
  });

  it("passes a redirect with its relative Location to the client", async () => {
    const response = await get("/redirect", { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/\/echo$/);
  });

  it("answers 8 concurrent requests, one process each", async () => {
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => get(`/echo?n=${i}`).then((r) => r.json())),
    );
    expect(responses.map((echo) => new URL(echo.url).searchParams.get("n"))).toEqual([
      "0",
      "1",
      "2",
      "3",
      "4",
      "5",
      "6",
      "7",
    ]);
  });
});

describe("cgi adapter behind lighttpd, client abort", () => {
  let project: UserProject;
  let host: Host;
  beforeAll(async () => {
    project = userProject();
    host = await lighttpd.start(project, FIXTURE_APP);
  });
  afterAll(async () => {
    await host?.stop();
    project?.remove();
  });

  it("aborts request.signal when the client leaves (cgi.limits tcp-fin-propagate sends SIGTERM)", async () => {
    const marker = join(project.dir, "aborted");
    const controller = new AbortController();
    const response = await fetch(`${host.origin}/abort?marker=${encodeURIComponent(marker)}`, {
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    expect(await readChunk(reader)).toBe("started\n");
    controller.abort();
    expect(await waitForFile(marker, host)).toBe("AbortError");
  });

  it("sends a full status line in non-parsed-header mode (nph- scripts)", async () => {
    const response = await fetch(`${host.origin}/nph/echo?nph=1`);
    expect(response.status).toBe(200);
    const echo = await response.json();
    expect(new URL(echo.url).searchParams.get("nph")).toBe("1");
  });
});
