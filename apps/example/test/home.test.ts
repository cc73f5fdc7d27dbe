import { connect } from "node:net";
import { afterEach, expect, it } from "vitest";
import { describeExample } from "./_example.ts";

describeExample("home page, health and routing", (example) => {
  afterEach(() => expect(example.errors).toEqual([]));

  it("serves the HTML home page naming the server that answers", async () => {
    const response = await example.fetch("/");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const page = await response.text();
    expect(page.startsWith("<!doctype html>\n")).toBe(true);
    expect(page).toContain(`<title>anyserver example on ${example.server.adapter}</title>`);
    expect(page).toContain(`Served by <strong id="adapter">${example.server.adapter}</strong> to 127.0.0.1.`);
    for (const link of ["/api/notes", "/download?size=1048576", "/events?limit=10", "/health"]) {
      expect(page).toContain(`href="${link}"`);
    }
    expect(page).toContain('fetch("/upload"');
  });

  it("answers HEAD / with the headers of GET and no body", async () => {
    const response = await example.fetch("/", { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await response.text()).toBe("");
  });

  it("reports health as JSON that is never cached", async () => {
    const response = await example.fetch("/health");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.text()).toBe(
      `{"status":"ok","adapter":"${example.server.adapter}","uptime":0,"notes":0,"openEventStreams":0}`,
    );
  });

  it("answers an unknown path with a JSON 404", async () => {
    const response = await example.fetch("/nope/%E2%9C%93");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.text()).toBe(
      '{"error":"not_found","message":"Nothing at /nope/%E2%9C%93. See / for what this app serves."}',
    );
  });

  it("answers a wrong method with 405 and the Allow header", async () => {
    const response = await example.fetch("/health", { method: "POST", body: "x" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(await response.text()).toBe(
      '{"error":"method_not_allowed","message":"POST is not allowed on /health. Use GET, HEAD, OPTIONS."}',
    );
  });

  it("answers OPTIONS with 204 and the methods of the path", async () => {
    const response = await example.fetch("/upload", { method: "OPTIONS" });
    expect(response.status).toBe(204);
    expect(response.headers.get("allow")).toBe("POST, PUT, OPTIONS");
    expect(await response.text()).toBe("");
  });

  it("answers a Host header no URL can hold with 400, and keeps serving", async () => {
    const { port } = example.server;
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () =>
        socket.end("GET /health HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n"),
      );
      let text = "";
      socket.setEncoding("utf8");
      socket.on("data", (chunk) => (text += chunk));
      socket.on("close", () => resolve(text));
      socket.on("error", reject);
    });
    expect(raw.split("\r\n")[0]).toBe("HTTP/1.1 400 Bad Request");
    // Every server refuses it before the app runs (the app's own JSON 400 is for hosts that do not).
    expect(raw.endsWith("\r\n\r\nBad Request")).toBe(true);
    expect((await example.fetch("/health")).status).toBe(200);
  });
});
