import { createHash, randomBytes } from "node:crypto";
import type { RunningServer } from "@anyserver/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../../apps/example/src/app.ts";
import type { Host } from "../../adapter-cgi/test/_hosts.ts";
import fastcgi from "../src/index.ts";
import { startNginxFor } from "./_nginx.ts";

// The example's chat runs on WebSocket hooks, which FastCGI cannot carry (the adapter refuses
// an app with them): these tests serve the example's HTTP routes, its fetch handler.
describe("the example app's HTTP routes on fastcgi behind nginx", () => {
  const errors: string[] = [];
  let server: RunningServer;
  let nginx: Host;

  beforeAll(async () => {
    const logger = {
      info() {},
      warn: (line: string) => errors.push(line),
      error: (line: string) => errors.push(line),
    };
    const { fetch } = createApp();
    server = await fastcgi.serve({ fetch }, { host: "127.0.0.1", port: 0, logger });
    nginx = await startNginxFor({ port: server.port });
  });
  afterAll(async () => {
    await nginx?.stop();
    await server?.close({ timeout: 2000 });
    expect(errors).toEqual([]);
  });

  const get = (path: string, init?: RequestInit) => fetch(nginx.origin + path, init);

  it("serves the home page, naming the fastcgi server", async () => {
    const response = await get("/");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain('<strong id="adapter">fastcgi</strong>');
  });

  it("keeps notes between requests: one process serves them all", async () => {
    const created = await get("/api/notes", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "behind nginx" }),
    });
    expect(created.status).toBe(201);
    const note = await created.json();
    expect(created.headers.get("location")).toBe(`/api/notes/${note.id}`);
    expect(await (await get(`/api/notes/${note.id}`)).json()).toMatchObject({ title: "behind nginx" });
  });

  it("hashes a 10 MiB upload as it streams in", async () => {
    const upload = randomBytes(10 * 1024 * 1024);
    const response = await get("/upload", { method: "POST", body: upload });
    expect(await response.json()).toEqual({
      bytes: upload.length,
      sha256: createHash("sha256").update(upload).digest("hex"),
    });
  });

  it("streams a 3 MiB download whose every byte is checkable", async () => {
    const response = await get(`/download?size=${3 * 1024 * 1024}`);
    expect(response.headers.get("content-length")).toBe(String(3 * 1024 * 1024));
    const body = new Uint8Array(await response.arrayBuffer());
    expect(body.length).toBe(3 * 1024 * 1024);
    expect(body.every((byte, i) => byte === i % 256)).toBe(true);
  });

  it("streams Server-Sent Events as they tick", async () => {
    const response = await get("/events?interval=10&limit=3");
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const text = await response.text();
    expect(text.match(/^event: tick$/gm)).toHaveLength(3);
    expect(text).toContain("id: 3\n");
  });
});
