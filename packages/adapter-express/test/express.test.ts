import type { RunningServer } from "@anyserver/core";
import { silentLogger } from "@anyserver/core";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import expressAdapter from "../src/index.ts";

const MiB = 1024 * 1024;

describe("express adapter", () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close({ timeout: 1000 });
    server = undefined;
  });

  it("runs middleware from configure before the app: one adds a header, one answers a path itself", async () => {
    const seen: string[] = [];
    const app = (request: Request) => {
      seen.push(new URL(request.url).pathname);
      return new Response("from the app");
    };
    server = await expressAdapter.serve(app, {
      port: 0,
      logger: silentLogger,
      configure(expressApp) {
        expressApp.use((_req, res, next) => {
          res.setHeader("x-middleware", "ran");
          next();
        });
        expressApp.use("/admin", (_req, res) => {
          res.status(403).send("admins only");
        });
      },
    });
    const fromApp = await fetch(new URL("/hello", server.url));
    expect(fromApp.headers.get("x-middleware")).toBe("ran");
    expect(fromApp.headers.get("x-powered-by")).toBeNull();
    expect(await fromApp.text()).toBe("from the app");
    const blocked = await fetch(new URL("/admin/users", server.url));
    expect(blocked.status).toBe(403);
    expect(blocked.headers.get("x-middleware")).toBe("ran");
    expect(await blocked.text()).toBe("admins only");
    expect(seen).toEqual(["/hello"]);
  });

  it("awaits an async configure, e.g. one that loads routes", async () => {
    server = await expressAdapter.serve(() => new Response("app"), {
      port: 0,
      logger: silentLogger,
      async configure(expressApp) {
        const router = await Promise.resolve(
          express.Router().get("/ping", (_req, res) => void res.send("pong")),
        );
        expressApp.use(router);
      },
    });
    expect(await (await fetch(new URL("/ping", server.url))).text()).toBe("pong");
    expect(await (await fetch(new URL("/other", server.url))).text()).toBe("app");
  });

  it("leaves the body to the app, and says so when a body parser in front already read it", async () => {
    const errors: string[] = [];
    const app = async (request: Request) => new Response(`read ${(await request.bytes()).byteLength} bytes`);
    server = await expressAdapter.serve(app, {
      port: 0,
      logger: { ...silentLogger, error: (line) => errors.push(line) },
      configure(expressApp) {
        expressApp.use("/parsed", express.json());
      },
    });
    const body = JSON.stringify({ data: "x".repeat(MiB) });
    const init = { method: "POST", headers: { "content-type": "application/json" }, body };
    const untouched = await fetch(new URL("/raw", server.url), init);
    expect(await untouched.text()).toBe(`read ${body.length} bytes`);
    const parsed = await fetch(new URL("/parsed", server.url), { ...init, body: '{"a":1}' });
    expect(parsed.status).toBe(500);
    // Named where the app reads the body.
    expect(errors).toEqual([
      expect.stringMatching(
        /^POST \/parsed failed: AnyserverError: The request body was already read by middleware in front of the app \(a body parser such as express\.json\(\)\)\. Mount that middleware only on the routes that need it, or read what it parsed from context\.native \(at test\/express\.test\.ts:\d+:\d+\)$/,
      ),
    ]);
  });

  it("agrees with Express on the client address behind a trusted proxy", async () => {
    server = await expressAdapter.serve((_request, context) => new Response(String(context.remoteAddress)), {
      port: 0,
      logger: silentLogger,
      trustProxy: true,
      configure(expressApp) {
        expressApp.use((req, res, next) => {
          res.setHeader("x-express-ip", req.ip ?? "");
          next();
        });
      },
    });
    const response = await fetch(server.url, { headers: { "x-forwarded-for": "203.0.113.7" } });
    expect(response.headers.get("x-express-ip")).toBe("203.0.113.7");
    expect(await response.text()).toBe("203.0.113.7");
  });
});
