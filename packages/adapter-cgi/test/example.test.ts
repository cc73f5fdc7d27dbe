import { createHash, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lighttpd, nginxFcgiwrap } from "./_cgi-hosts.ts";
import type { Host } from "./_hosts.ts";
import { type UserProject, userProject } from "./_project.ts";

const EXAMPLE = fileURLToPath(new URL("../../../apps/example/src/app.ts", import.meta.url));

// The example's chat runs on WebSocket hooks, which CGI cannot carry (the adapter refuses an
// app with them): the CGI program serves the example's HTTP routes, its fetch handler. The
// entry is TypeScript, loaded through tsx as `anyserver serve app.ts` does.
describe.each([lighttpd, nginxFcgiwrap])(
  "the example app's HTTP routes as a CGI program behind $name",
  (cgiHost) => {
    let project: UserProject;
    let host: Host;

    beforeAll(async () => {
      project = userProject();
      const entry = join(project.dir, "example-http.ts");
      writeFileSync(
        entry,
        `import { createApp } from ${JSON.stringify(EXAMPLE)};\nexport default { fetch: createApp().fetch };\n`,
      );
      host = await cgiHost.start(project, entry);
    });
    afterAll(async () => {
      await host?.stop();
      project?.remove();
    });

    const get = (path: string, init?: RequestInit) => fetch(host.origin + path, init);

    it("serves the home page, naming the cgi server", async () => {
      const response = await get("/");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/html");
      expect(await response.text()).toContain('<strong id="adapter">cgi</strong>');
    });

    it("answers /health and creates a note (each request is a fresh process: notes do not last)", async () => {
      expect(await (await get("/health")).json()).toMatchObject({ status: "ok", adapter: "cgi", notes: 0 });
      const created = await get("/api/notes", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ title: "from a CGI process" }),
      });
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({ title: "from a CGI process" });
    });

    it("hashes a 10 MiB upload as it streams in from stdin", async () => {
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
      expect(body.every((byte, i) => byte === i % 256)).toBe(true);
    });

    it("streams Server-Sent Events as they tick", async () => {
      const response = await get("/events?interval=10&limit=3");
      expect(response.headers.get("content-type")).toBe("text/event-stream");
      const text = await response.text();
      expect(text.match(/^event: tick$/gm)).toHaveLength(3);
      expect(text).toContain("id: 3\n");
    });
  },
);
