import { createHash } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { RawConnection, rawRequest } from "@anyserver/adapter-test-suite";
import { type App, listenError, type RunningServer, type ServeOptions, silentLogger } from "@anyserver/core";
import { afterEach, describe, expect, it } from "vitest";
import hyperExpress, { type HyperExpressAdapterOptions, type HyperExpressNative } from "../src/index.ts";

const MiB = 1024 * 1024;
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Answers what it received: method, path, query, a header, body size and checksum. */
const echo: App = async (request) => {
  const body = new Uint8Array(await request.arrayBuffer());
  const url = new URL(request.url);
  return Response.json({
    method: request.method,
    path: url.pathname + url.search,
    multi: request.headers.get("x-multi"),
    size: body.byteLength,
    sha256: sha256(body),
  });
};

/** Answers "app" and counts its calls: whether middleware in front let a request through. */
function countingApp(): App & { calls: number } {
  const app = Object.assign(
    () => {
      app.calls++;
      return new Response("app");
    },
    { calls: 0 },
  );
  return app;
}

describe("hyper-express adapter", () => {
  const servers: RunningServer[] = [];
  const errors: string[] = [];
  const logger = { ...silentLogger, error: (line: string) => errors.push(line) };
  const start = async (app: App, options: ServeOptions & HyperExpressAdapterOptions = {}) => {
    const server = await hyperExpress.serve(app, { port: 0, logger, ...options });
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    errors.length = 0;
    await Promise.all(servers.splice(0).map((server) => server.close({ timeout: 1000 })));
  });

  it("answers routes from configure before the app, and hands the app HyperExpress's request and response", async () => {
    let native: HyperExpressNative | undefined;
    const server = await start(
      (request, context) => {
        native = context.native as HyperExpressNative;
        return new Response(`app ${new URL(request.url).pathname}`);
      },
      {
        configure: (server) => void server.get("/own", (_request, response) => response.send("HyperExpress")),
      },
    );
    expect(await (await fetch(new URL("/own", server.url))).text()).toBe("HyperExpress");
    expect(await (await fetch(new URL("/other", server.url))).text()).toBe("app /other");
    expect(native?.request.path).toBe("/other");
    expect(typeof native?.response.raw.cork).toBe("function");
  });

  it("adds the headers and cookies middleware set to the app's response; the app's own headers win", async () => {
    const server = await start(
      () => new Response("app", { headers: { "x-both": "from the app", "set-cookie": "app=1" } }),
      {
        configure(server) {
          server.use((_request, response, next) => {
            response.header("x-middleware", "set in use()");
            response.header("x-both", "from middleware");
            response.cookie("session", "abc", undefined, { path: "/" });
            next();
          });
        },
      },
    );
    const response = await fetch(server.url);
    expect(response.headers.get("x-middleware")).toBe("set in use()");
    expect(response.headers.get("x-both")).toBe("from the app");
    expect(response.headers.getSetCookie()).toEqual(["session=abc; Path=/", "app=1"]);
    expect(await response.text()).toBe("app");
  });

  it("answers 500 with one log line, never the header lines, when middleware sets a header value with CR LF", async () => {
    const app = countingApp();
    const server = await start(app, {
      configure(server) {
        server.use((request, response, next) => {
          response.header("x-echo", request.query_parameters.name ?? "");
          next();
        });
      },
    });
    const connection = await RawConnection.open(server.port);
    connection.write(rawRequest(server.port, "GET", "/?name=a%0D%0Ax-injected:%201"));
    const refused = await connection.response();
    expect(refused.status).toBe(500);
    expect(refused.headers.map(([name]) => name.toLowerCase()).sort()).toEqual([
      "content-length",
      "content-type",
      "date",
    ]);
    expect(refused.body.toString()).toBe("Internal Server Error");
    expect(app.calls).toBe(0);
    expect(errors).toEqual([
      // Named where the middleware handed the request on.
      expect.stringMatching(
        /^GET \/\?name=a%0D%0Ax-injected:%201 failed: TypeError: The value of header "x-echo" holds a character HTTP forbids \(CR, LF, NUL or another control character\): "a\\r\\nx-injected: 1"\. Remove it, or encode the value \(encodeURIComponent\)\. \(at test\/hyper-express\.test\.ts:\d+:\d+\)$/,
      ),
    ]);
    // The connection and the server keep serving.
    connection.write(rawRequest(server.port, "GET", "/?name=plain"));
    const next = await connection.response();
    connection.destroy();
    expect(next.status).toBe(200);
    expect(next.headers).toContainEqual(["x-echo", "plain"]);
    expect(next.body.toString()).toBe("app");
  });

  it("lets middleware answer instead of the app", async () => {
    const app = countingApp();
    const server = await start(app, {
      configure(server) {
        server.use(async (request, response) => {
          if (!request.headers.authorization) response.status(401).send("who are you?");
        });
      },
    });
    const response = await fetch(server.url);
    expect(response.status).toBe(401);
    expect(await response.text()).toBe("who are you?");
    expect(app.calls).toBe(0);
    expect((await fetch(server.url, { headers: { authorization: "yes" } })).status).toBe(200);
  });

  it("gives the app the whole body, the target and every header line while in uWS's handler", async () => {
    const server = await start(echo);
    const connection = await RawConnection.open(server.port);
    const body = new Uint8Array(300_000).fill(7);
    connection.write(
      rawRequest(
        server.port,
        "PUT",
        "/put/it?x=1",
        [
          ["X-Multi", "a"],
          ["X-Multi", "b"],
          ["Content-Length", String(body.byteLength)],
        ],
        body,
      ),
    );
    const seen = JSON.parse((await connection.response()).body.toString());
    connection.destroy();
    expect(seen).toEqual({
      method: "PUT",
      path: "/put/it?x=1",
      multi: "a, b",
      size: body.byteLength,
      sha256: sha256(body),
    });
  });

  it("gives the app an 8 MiB body that arrived while async middleware ran, after HyperExpress paused it", async () => {
    const server = await start(echo, {
      configure(server) {
        server.use(async () => {
          await sleep(300);
        });
      },
    });
    const body = new Uint8Array(8 * MiB).map((_, i) => i % 251);
    const response = await fetch(new URL("/late?y=2", server.url), { method: "POST", body });
    expect(await response.json()).toMatchObject({
      method: "POST",
      path: "/late?y=2",
      size: body.byteLength,
      sha256: sha256(body),
    });
  });

  it("answers 500 with one log line when middleware already read the body the app reads", async () => {
    const server = await start(echo, {
      configure(server) {
        server.use(async (request) => {
          await request.text();
        });
      },
    });
    const response = await fetch(server.url, { method: "POST", body: "eaten" });
    expect(response.status).toBe(500);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^POST \/ failed: AnyserverError: The request body was already read by HyperExpress middleware/,
    );
  });

  it("applies HyperExpress's own max_body_length when given", async () => {
    const server = await start(echo, { hyperExpress: { max_body_length: 1000 } });
    const response = await fetch(server.url, { method: "POST", body: "z".repeat(5000) });
    expect(response.status).toBe(413);
  });

  it("says a port in use is in use, in the line node gives", async () => {
    const blocker = createServer().listen(0, "127.0.0.1");
    await once(blocker, "listening");
    const { port } = blocker.address() as { port: number };
    try {
      const inUse = listenError(
        Object.assign(new Error(), { code: "EADDRINUSE" }),
        "127.0.0.1",
        port,
      ).message;
      await expect(start(echo, { port })).rejects.toThrow(inUse);
    } finally {
      blocker.close();
    }
  });
});
