import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { get as httpGet, type IncomingHttpHeaders } from "node:http";
import { get } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { RunningServer } from "@anyserver/core";
import { FastResponse, silentLogger } from "@anyserver/core";
import compress from "@fastify/compress";
import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import fastifyAdapter, { type FastifyNative } from "../src/index.ts";
import { countingApp, MiB, uploadInLockstep } from "./_upload.ts";

/** A GET asking for gzip, with the body as it came over the wire. */
function gzipGet(url: URL): Promise<{ status?: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers: { "accept-encoding": "gzip" } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }),
      );
      response.on("error", reject);
    }).on("error", reject);
  });
}

const hello = (request: Request) => new Response(`app ${request.method} ${new URL(request.url).pathname}`);

describe("fastify adapter", () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close({ timeout: 1000 });
    server = undefined;
  });

  it("answers routes from configure before the app, and applies its hooks to the app's responses", async () => {
    server = await fastifyAdapter.serve(hello, {
      port: 0,
      logger: silentLogger,
      async configure(fastify) {
        fastify.get("/healthz", async () => ({ ok: true }));
        fastify.addHook("onRequest", async (_request, reply) => {
          reply.header("x-on-request", "set in onRequest");
        });
        fastify.addHook("onSend", async (_request, reply, payload) => {
          reply.header("x-on-send", "set in onSend");
          return payload;
        });
      },
    });
    const health = await fetch(new URL("/healthz", server.url));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    const app = await fetch(new URL("/anything", server.url), { method: "POST", body: "x" });
    expect(app.status).toBe(200);
    expect(app.headers.get("x-on-request")).toBe("set in onRequest");
    expect(app.headers.get("x-on-send")).toBe("set in onSend");
    expect(await app.text()).toBe("app POST /anything");
  });

  it("applies @fastify/helmet's headers to the app's responses, streamed ones too", async () => {
    const app = (request: Request) =>
      new URL(request.url).pathname === "/stream"
        ? new Response(new Blob(["a", "b"]).stream(), { headers: { "content-type": "text/plain" } })
        : new Response("plain");
    server = await fastifyAdapter.serve(app, {
      port: 0,
      logger: silentLogger,
      configure: (fastify) => fastify.register(helmet) as unknown as Promise<void>,
    });
    for (const [path, body] of [
      ["/", "plain"],
      ["/stream", "ab"],
    ]) {
      const response = await fetch(new URL(path, server.url));
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(await response.text()).toBe(body);
    }
  });

  it("lets @fastify/compress gzip the app's responses, whole and streamed, global Response or FastResponse", async () => {
    const text = "compress me ".repeat(200);
    const app = (request: Request) => {
      const { pathname } = new URL(request.url);
      const headers = { "content-type": "text/plain" };
      if (pathname === "/stream") return new Response(new Blob([text]).stream(), { headers });
      return pathname === "/fast" ? new FastResponse(text, { headers }) : new Response(text, { headers });
    };
    server = await fastifyAdapter.serve(app, {
      port: 0,
      logger: silentLogger,
      configure: (fastify) => fastify.register(compress, { threshold: 0 }) as unknown as Promise<void>,
    });
    for (const path of ["/", "/fast", "/stream"]) {
      // node:http, not fetch: fetch would undo the gzip before the test sees it.
      const { status, headers, body } = await gzipGet(new URL(path, server.url));
      expect(status, path).toBe(200);
      expect(headers["content-encoding"], path).toBe("gzip");
      // A Content-Length left from the uncompressed body would cut or stall the gzip stream.
      if (headers["content-length"] !== undefined) {
        expect(Number(headers["content-length"]), path).toBe(body.length);
      }
      expect(gunzipSync(body).toString(), path).toBe(text);
    }
  });

  it("keeps Fastify's JSON parser for routes from configure while the app reads raw bodies", async () => {
    const app = async (request: Request) => new Response(`raw: ${await request.text()}`);
    server = await fastifyAdapter.serve(app, {
      port: 0,
      logger: silentLogger,
      configure(fastify: FastifyInstance) {
        fastify.post("/parsed", async (request) => ({ got: (request.body as { a: number }).a }));
      },
    });
    const init = { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":1}' };
    expect(await (await fetch(new URL("/parsed", server.url), init)).json()).toEqual({ got: 1 });
    expect(await (await fetch(new URL("/app", server.url), init)).text()).toBe('raw: {"a":1}');
  });

  it("streams a 10 MiB JSON upload to the app without a content-type parser buffering it", async () => {
    server = await fastifyAdapter.serve(countingApp, { port: 0, logger: silentLogger });
    const { status, text } = await uploadInLockstep(
      new URL("/upload", server.url),
      10 * MiB,
      "application/json",
    );
    expect(status).toBe(200);
    expect(text).toBe(`first chunk\nreceived ${10 * MiB} bytes`);
  });

  it("gives the app Fastify's request and reply in context.native", async () => {
    server = await fastifyAdapter.serve(
      (_request, context) => {
        const native = context.native as FastifyNative;
        return new Response(`${native.request.id} ${native.reply.raw === native.res}`);
      },
      { port: 0, logger: silentLogger, fastify: { genReqId: () => "req-42" } },
    );
    expect(await (await fetch(server.url)).text()).toBe("req-42 true");
    expect(server.native).toHaveProperty("register");
  });

  it("hands URLs with malformed escapes and any HTTP method to the app, as node:http does", async () => {
    server = await fastifyAdapter.serve(hello, { port: 0, logger: silentLogger });
    const bad = await fetch(new URL("/a%zz", server.url));
    expect(bad.status).toBe(200);
    expect(await bad.text()).toBe("app GET /a%zz");
    const propfind = await fetch(new URL("/dav", server.url), { method: "PROPFIND" });
    expect(await propfind.text()).toBe("app PROPFIND /dav");
  });

  it("serves HTTPS with tls, and tells the app its URL is https", async () => {
    const dir = mkdtempSync(join(tmpdir(), "anyserver-fastify-tls-"));
    try {
      const [key, cert] = [join(dir, "key.pem"), join(dir, "cert.pem")];
      const subject = ["-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert];
      execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", ...subject], {
        stdio: "ignore",
      });
      const tls = { key: readFileSync(key), cert: readFileSync(cert) };
      server = await fastifyAdapter.serve((request) => new Response(request.url), {
        port: 0,
        logger: silentLogger,
        tls,
      });
      expect(server.url.protocol).toBe("https:");
      const body = await new Promise<string>((resolve, reject) => {
        get(new URL("/secure", server!.url), { rejectUnauthorized: false }, (res) => {
          let text = "";
          res.on("data", (chunk) => (text += chunk));
          res.on("end", () => resolve(text));
        }).on("error", reject);
      });
      expect(body).toBe(`https://127.0.0.1:${server.port}/secure`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says which part of configure broke when Fastify cannot start", async () => {
    const broken = fastifyAdapter.serve(hello, {
      port: 0,
      logger: silentLogger,
      configure(fastify) {
        fastify.register(async () => {
          throw new Error("plugin needs a database URL");
        });
      },
    });
    await expect(broken).rejects.toThrow(
      "Fastify could not start: Error: plugin needs a database URL. Check the plugins, hooks and routes added in configure.",
    );
  });

  it("says which port is taken when it cannot listen", async () => {
    server = await fastifyAdapter.serve(hello, { port: 0, logger: silentLogger });
    await expect(fastifyAdapter.serve(hello, { port: server.port, logger: silentLogger })).rejects.toThrow(
      `Port ${server.port} on 127.0.0.1 is already in use. Stop the process using it or choose another port with -p.`,
    );
  });
});
