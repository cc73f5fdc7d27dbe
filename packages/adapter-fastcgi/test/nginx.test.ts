import { createHash, randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { RunningServer } from "@anyserver/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Host, tempDir } from "../../adapter-cgi/test/_hosts.ts";
import fastcgi from "../src/index.ts";
import { createTestApp, Gates } from "./_app.ts";
import { startNginxFor } from "./_nginx.ts";

const transports = [
  { name: "TCP", options: () => ({ port: 0 }) },
  { name: "a unix socket", options: (dir: string) => ({ socket: join(dir, "app.sock") }) },
];

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  if (!check()) throw new Error(`${what} did not happen within 10 s`);
}

describe.each(transports)("fastcgi adapter behind nginx over $name", (transport) => {
  const gates = new Gates();
  const { app, record } = createTestApp(gates);
  const logged: string[] = [];
  const logger = {
    info() {},
    warn: (line: string) => logged.push(line),
    error: (line: string) => logged.push(line),
  };
  let dir: string;
  let server: RunningServer;
  let nginx: Host;

  beforeAll(async () => {
    dir = tempDir("fastcgi");
    server = await fastcgi.serve(app, { host: "127.0.0.1", ...transport.options(dir), logger });
    nginx = await startNginxFor(server.port ? { port: server.port } : { socket: server.url.pathname }, dir);
  });
  afterAll(async () => {
    await nginx?.stop();
    await server?.close({ timeout: 2000 });
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, init?: RequestInit) => fetch(nginx.origin + path, init);

  it("gives the app the client's method, URL, headers, body and address", async () => {
    const response = await get("/echo?x=1&y=a%20b", {
      method: "POST",
      body: "hello",
      headers: { "content-type": "text/plain", "x-custom": "yes" },
    });
    expect(response.status).toBe(200);
    const echo = await response.json();
    expect(echo).toMatchObject({
      method: "POST",
      body: "hello",
      remoteAddress: "127.0.0.1",
      adapter: "fastcgi",
    });
    expect(echo.url).toBe(`${nginx.origin}/echo?x=1&y=a%20b`);
    expect(echo.headers).toMatchObject({
      "content-type": "text/plain",
      "content-length": "5",
      "x-custom": "yes",
    });
  });

  it("keeps connections (fastcgi_keep_conn on): 30 requests share a few", async () => {
    const before = record.sockets.size;
    for (let i = 0; i < 30; i++) expect((await get(`/echo?n=${i}`)).status).toBe(200);
    expect(record.sockets.size - before).toBeLessThanOrEqual(2);
  });

  it("answers 16 concurrent requests", async () => {
    const urls = await Promise.all(
      Array.from({ length: 16 }, (_, i) => get(`/echo?n=${i}`).then(async (r) => (await r.json()).url)),
    );
    expect(urls).toEqual(Array.from({ length: 16 }, (_, i) => `${nginx.origin}/echo?n=${i}`));
  });

  it("takes a 10 MiB upload, read by the app as a stream", async () => {
    const upload = randomBytes(10 * 1024 * 1024);
    const response = await get("/upload", { method: "POST", body: upload });
    expect(await response.json()).toEqual({
      bytes: upload.length,
      sha256: createHash("sha256").update(upload).digest("hex"),
    });
  });

  it("streams the response: the first line arrives while the app still holds the second", async () => {
    const name = `stream-${transport.name}`;
    const response = await get(`/hold?name=${name}`);
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("first\n");
    gates.open(name);
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += new TextDecoder().decode(chunk.value);
    }
    expect(rest).toBe("second\n");
  });

  it("aborts request.signal when the client goes away", async () => {
    const name = `abort-${transport.name}`;
    const controller = new AbortController();
    const response = await get(`/hold?name=${name}`, { signal: controller.signal });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("first\n");
    controller.abort();
    await waitFor(() => record.aborted.has(name), "request.signal aborting");
    expect(record.aborted.get(name)).toBe("AbortError");
    // nginx dropped that connection; the next request gets another.
    expect((await get("/echo")).status).toBe(200);
  });

  it("sends the status and both Set-Cookie headers, and HEAD without a body", async () => {
    const response = await get("/cookies");
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; HttpOnly"]);
    expect(await response.text()).toBe("two cookies");
    const head = await get("/big?size=1000", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe("1000");
    expect(await head.text()).toBe("");
  });

  it("answers 500 when the app throws, and logs it once", async () => {
    const before = logged.length;
    const response = await get("/throw");
    expect(response.status).toBe(500);
    expect(await response.text()).toBe("Internal Server Error");
    expect(logged.slice(before)).toEqual([
      expect.stringMatching(/^GET \/throw failed: Error: the app failed \(at test\/_app\.ts:\d+:\d+\)$/),
    ]);
  });
});

describe("fastcgi adapter behind nginx: graceful close", () => {
  it("finishes a request in flight and waitUntil work, then closes; nginx then answers 502", async () => {
    const gates = new Gates();
    const { app, record } = createTestApp(gates);
    const dir = tempDir("fastcgi");
    const server = await fastcgi.serve(app, { host: "127.0.0.1", socket: join(dir, "app.sock") });
    const nginx = await startNginxFor({ socket: server.url.pathname }, dir);
    try {
      expect(await (await fetch(`${nginx.origin}/wait-until?name=later`)).text()).toBe("answered");
      const slow = fetch(`${nginx.origin}/slow?name=in-flight`);
      await waitFor(() => record.started.has("in-flight"), "the request reaching the app");
      const closed = server.close({ timeout: 10_000 });
      gates.open("in-flight");
      const response = await slow;
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("slow in-flight done");
      let closedYet = false;
      closed.then(() => (closedYet = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(closedYet).toBe(false);
      gates.open("later");
      await closed;
      expect(record.waitUntilDone).toBe(1);
      expect((await fetch(`${nginx.origin}/echo`)).status).toBe(502);
    } finally {
      await nginx.stop();
      await server.close({ timeout: 1000 });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
