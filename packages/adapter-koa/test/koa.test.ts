import type { RunningServer } from "@anyserver/core";
import { silentLogger } from "@anyserver/core";
import { afterEach, describe, expect, it } from "vitest";
import koaAdapter, { type KoaNative } from "../src/index.ts";

describe("koa adapter", () => {
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
    server = await koaAdapter.serve(app, {
      port: 0,
      logger: silentLogger,
      configure(koa) {
        koa.use(async (ctx, next) => {
          ctx.set("x-middleware", "ran");
          await next();
        });
        koa.use(async (ctx, next) => {
          if (!ctx.path.startsWith("/admin")) return next();
          ctx.status = 403;
          ctx.body = "admins only";
        });
      },
    });
    const fromApp = await fetch(new URL("/hello", server.url));
    expect(fromApp.status).toBe(200);
    expect(fromApp.headers.get("x-middleware")).toBe("ran");
    expect(await fromApp.text()).toBe("from the app");
    const blocked = await fetch(new URL("/admin/users", server.url));
    expect(blocked.status).toBe(403);
    expect(blocked.headers.get("x-middleware")).toBe("ran");
    expect(await blocked.text()).toBe("admins only");
    expect(seen).toEqual(["/hello"]);
  });

  it("gives the app Koa's ctx, with what middleware put in ctx.state, and resolves next() once the response is written", async () => {
    const after: boolean[] = [];
    const app = (_request: Request, context: { native: unknown }) =>
      new Response(`hello ${(context.native as KoaNative).ctx.state.user}`);
    server = await koaAdapter.serve(app, {
      port: 0,
      logger: silentLogger,
      async configure(koa) {
        koa.use(async (ctx, next) => {
          ctx.state.user = "ada";
          await next();
          after.push(ctx.res.headersSent);
        });
      },
    });
    expect(await (await fetch(server.url)).text()).toBe("hello ada");
    expect(after).toEqual([true]);
  });

  it("leaves the body to the app and streams it through untouched", async () => {
    const app = async (request: Request) => {
      const reader = request.body!.getReader();
      let size = 0;
      for (let read = await reader.read(); !read.done; read = await reader.read())
        size += read.value.byteLength;
      return new Response(`read ${size} bytes`);
    };
    server = await koaAdapter.serve(app, {
      port: 0,
      logger: silentLogger,
      configure: (koa) => void koa.use((_ctx, next) => next()),
    });
    const body = new Uint8Array(5 * 1024 * 1024).fill(7);
    const response = await fetch(new URL("/upload", server.url), { method: "PUT", body });
    expect(await response.text()).toBe(`read ${body.byteLength} bytes`);
  });

  it("logs an error thrown by Koa middleware as one line through the logger, without Koa's stack on stderr", async () => {
    const errors: string[] = [];
    server = await koaAdapter.serve(() => new Response("app"), {
      port: 0,
      logger: { ...silentLogger, error: (line) => errors.push(line) },
      configure(koa) {
        koa.use(() => {
          throw new Error("middleware broke");
        });
      },
    });
    const response = await fetch(new URL("/x", server.url));
    expect(response.status).toBe(500);
    expect(await response.text()).toBe("Internal Server Error");
    expect(errors).toEqual(["GET /x failed in Koa middleware: Error: middleware broke"]);
  });

  it("agrees with Koa on the client address behind a trusted proxy", async () => {
    server = await koaAdapter.serve((_request, context) => new Response(String(context.remoteAddress)), {
      port: 0,
      logger: silentLogger,
      trustProxy: true,
      configure(koa) {
        koa.use((ctx, next) => {
          ctx.set("x-koa-ip", ctx.ip);
          return next();
        });
      },
    });
    const response = await fetch(server.url, { headers: { "x-forwarded-for": "203.0.113.7" } });
    expect(response.headers.get("x-koa-ip")).toBe("203.0.113.7");
    expect(await response.text()).toBe("203.0.113.7");
  });
});
