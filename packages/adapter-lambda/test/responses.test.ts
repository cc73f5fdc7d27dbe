import { describe, expect, it } from "vitest";
import { lambda } from "../src/index.ts";
import { albSingleValue, events, lambdaContext, memoryLogger } from "./_events.ts";

const png = Uint8Array.from({ length: 256 }, (_, i) => i);
const base64Png = Buffer.from(png).toString("base64");
const threeCookies = ["a=1; Path=/", "b=2; HttpOnly", "c=3; Secure; SameSite=Lax"];

function withCookies(): Response {
  const headers = new Headers({ "content-type": "text/plain; charset=utf-8" });
  for (const cookie of threeCookies) headers.append("set-cookie", cookie);
  return new Response("ok", { status: 201, headers });
}

describe("lambda adapter: binary bodies", () => {
  it("decodes a base64 request body to the exact bytes (Function URL)", async () => {
    let received: Uint8Array | undefined;
    const handler = lambda(async (request) => {
      received = new Uint8Array(await request.arrayBuffer());
      return new Response(null, { status: 204 });
    });
    const event = { ...events.functionUrl(), body: base64Png, isBase64Encoded: true };
    await handler(event, lambdaContext());
    expect(received).toEqual(png);
  });

  it("decodes a base64 request body on REST and ALB events too", async () => {
    const seen: string[] = [];
    const handler = lambda(async (request) => {
      seen.push(Buffer.from(await request.arrayBuffer()).toString("hex"));
      return new Response("ok");
    });
    await handler({ ...events.restV1(), body: base64Png, isBase64Encoded: true }, lambdaContext());
    await handler(
      { ...events.albMulti(), httpMethod: "POST", body: base64Png, isBase64Encoded: true },
      lambdaContext(),
    );
    expect(seen).toEqual([Buffer.from(png).toString("hex"), Buffer.from(png).toString("hex")]);
  });

  it("keeps a text body's content type as the client sent it (none added)", async () => {
    let type: string | null = "unset";
    const handler = lambda((request) => {
      type = request.headers.get("content-type");
      return new Response("ok");
    });
    await handler(events.functionUrl(), lambdaContext());
    expect(type).toBeNull();
  });

  it("sends a binary response base64-encoded with isBase64Encoded, for every event shape", async () => {
    const handler = lambda(() => new Response(png, { headers: { "content-type": "image/png" } }));
    for (const event of [events.restV1(), events.httpV2(), events.functionUrl(), events.albMulti()]) {
      const result = await handler(event, lambdaContext());
      expect(result).toMatchObject({ statusCode: 200, body: base64Png, isBase64Encoded: true });
    }
  });

  it("decides by content type and encoding: text in UTF-8 as is, gzip and other charsets as base64", async () => {
    const cases: [Record<string, string>, boolean][] = [
      [{ "content-type": "text/html; charset=utf-8" }, false],
      [{ "content-type": "application/json" }, false],
      [{ "content-type": "application/problem+json" }, false],
      [{ "content-type": "image/svg+xml" }, false],
      [{ "content-type": "application/javascript" }, false],
      [{ "content-type": "application/x-www-form-urlencoded" }, false],
      [{ "content-type": "text/event-stream" }, false],
      [{ "content-type": "text/plain; charset=iso-8859-1" }, true],
      [{ "content-type": "text/plain", "content-encoding": "gzip" }, true],
      [{ "content-type": "application/octet-stream" }, true],
      [{ "content-type": "application/pdf" }, true],
      [{}, true],
    ];
    for (const [headers, binary] of cases) {
      const handler = lambda(() => new Response(new TextEncoder().encode("héllo"), { headers }));
      const result = await handler(events.httpV2(), lambdaContext());
      expect({ headers, isBase64Encoded: result.isBase64Encoded }).toEqual({
        headers,
        isBase64Encoded: binary,
      });
      expect(result.body).toBe(binary ? Buffer.from("héllo").toString("base64") : "héllo");
    }
  });

  it("takes isBinary from the options", async () => {
    const handler = lambda(() => new Response("{}", { headers: { "content-type": "application/json" } }), {
      isBinary: () => true,
    });
    expect(await handler(events.httpV2(), lambdaContext())).toMatchObject({
      body: "e30=",
      isBase64Encoded: true,
    });
  });
});

describe("lambda adapter: cookies", () => {
  it("sends several Set-Cookie as the cookies array on payload 2.0 (HTTP API, Function URL)", async () => {
    const handler = lambda(withCookies);
    for (const event of [events.httpV2(), events.functionUrl()]) {
      expect(await handler(event, lambdaContext())).toEqual({
        statusCode: 201,
        headers: { "content-type": "text/plain; charset=utf-8" },
        cookies: threeCookies,
        body: "ok",
        isBase64Encoded: false,
      });
    }
  });

  it("sends several Set-Cookie in multiValueHeaders on REST APIs and multi-value ALBs", async () => {
    const handler = lambda(withCookies);
    const multiValueHeaders = { "content-type": ["text/plain; charset=utf-8"], "set-cookie": threeCookies };
    expect(await handler(events.restV1(), lambdaContext())).toEqual({
      statusCode: 201,
      multiValueHeaders,
      body: "ok",
      isBase64Encoded: false,
    });
    expect(await handler(events.albMulti(), lambdaContext())).toEqual({
      statusCode: 201,
      statusDescription: "201 Created",
      multiValueHeaders,
      body: "ok",
      isBase64Encoded: false,
    });
  });

  it("sends the last Set-Cookie on a single-value ALB, as the ALB keeps the last value, and says once how to get all", async () => {
    const logger = memoryLogger();
    const handler = lambda(withCookies, { logger });
    const result = await handler(albSingleValue(), lambdaContext());
    expect(result).toEqual({
      statusCode: 201,
      statusDescription: "201 Created",
      headers: { "content-type": "text/plain; charset=utf-8", "set-cookie": "c=3; Secure; SameSite=Lax" },
      body: "ok",
      isBase64Encoded: false,
    });
    const warning =
      "A response set 3 cookies, but this ALB target group sends single-value headers, which carry one Set-Cookie: only the last was sent. Enable multi-value headers on the target group (attribute lambda.multi_value_headers.enabled).";
    expect(logger.lines).toEqual([warning]);
    await handler(albSingleValue(), lambdaContext());
    expect(logger.lines).toEqual([warning]);
  });

  it("joins several request Cookie values with '; ' (multi-value ALB)", async () => {
    let cookie: string | null = null;
    const handler = lambda((request) => {
      cookie = request.headers.get("cookie");
      return new Response("ok");
    });
    const event = events.albMulti();
    event.multiValueHeaders!.cookie = ["name1=value1", "name2=value2"];
    await handler(event, lambdaContext());
    expect(cookie).toBe("name1=value1; name2=value2");
  });
});

describe("lambda adapter: paths and query strings", () => {
  async function urlFor(event: any, options = {}): Promise<string> {
    let url = "";
    const handler = lambda((request) => {
      url = request.url;
      return new Response("ok");
    }, options);
    await handler(event, lambdaContext());
    return url;
  }

  it("re-encodes the decoded query parameters of a REST API, repeated keys kept in order", async () => {
    const event = events.restV1();
    event.multiValueQueryStringParameters = { q: ["a b", "c&d=e"], "x/y": ["ü"] };
    const url = new URL(await urlFor(event));
    expect(url.search).toBe("?q=a%20b&q=c%26d%3De&x%2Fy=%C3%BC");
    expect(url.searchParams.getAll("q")).toEqual(["a b", "c&d=e"]);
  });

  it("keeps the ALB's raw (still encoded) query parameters as they are", async () => {
    const event = events.albMulti();
    event.multiValueQueryStringParameters = { "enco%2Fded": ["qu%2Fery"], multi: ["1", "2"] };
    const url = new URL(await urlFor(event));
    expect(url.search).toBe("?enco%2Fded=qu%2Fery&multi=1&multi=2");
    expect(url.searchParams.get("enco/ded")).toBe("qu/ery");
  });

  it("passes a Function URL's raw path and query through untouched", async () => {
    const event = { ...events.functionUrl(), rawPath: "/files/a%2Fb%20c", rawQueryString: "x=%26&y=1+2" };
    expect(await urlFor(event)).toBe("https://localhost/files/a%2Fb%20c?x=%26&y=1+2");
  });

  it("escapes what an HTTP API decoded in its path, so '?', '#', spaces and '%' stay in the path", async () => {
    const event = { ...events.httpV2(), rawPath: "/orders/a b?#100%", rawQueryString: "page=2" };
    const url = new URL(await urlFor(event));
    expect(url.pathname).toBe("/orders/a%20b%3F%23100%25");
    expect(url.search).toBe("?page=2");
    expect(decodeURIComponent(url.pathname)).toBe("/orders/a b?#100%");
  });

  it("keeps a REST API's encoded path (API Gateway does not decode it)", async () => {
    const event = { ...events.restV1(), path: "/user/test%2Balias@gmail.com" };
    expect(new URL(await urlFor(event)).pathname).toBe("/user/test%2Balias@gmail.com");
  });

  it("removes basePath (an HTTP API stage) from the front of the path", async () => {
    const event = { ...events.httpV2(), rawPath: "/prod/users/7" };
    expect(new URL(await urlFor(event, { basePath: "/prod" })).pathname).toBe("/users/7");
    const other = { ...events.httpV2(), rawPath: "/production/users" };
    expect(new URL(await urlFor(other, { basePath: "/prod" })).pathname).toBe("/production/users");
  });

  it("takes the scheme from X-Forwarded-Proto and the host from Host", async () => {
    expect(await urlFor(events.albMulti())).toMatch(
      /^http:\/\/lambda-test-alb-1234567\.us-east-1\.elb\.amazonaws\.com\//,
    );
  });
});

describe("lambda adapter: errors and edge cases", () => {
  it("answers 500 when the app throws, logs one line, and keeps answering", async () => {
    const logger = memoryLogger();
    let calls = 0;
    const handler = lambda(
      () => {
        calls++;
        if (calls === 1) throw new Error("database is down");
        return new Response("fine");
      },
      { logger },
    );
    expect(await handler(events.httpV2(), lambdaContext())).toEqual({
      statusCode: 500,
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: "Internal Server Error",
      isBase64Encoded: false,
    });
    expect(logger.lines).toEqual([
      expect.stringMatching(
        /^GET \/ failed: Error: database is down \(at test\/responses\.test\.ts:\d+:\d+\)$/,
      ),
    ]);
    expect(await handler(events.httpV2(), lambdaContext())).toMatchObject({ statusCode: 200, body: "fine" });
  });

  it("answers 500 when the app returns something that is not a Response", async () => {
    const logger = memoryLogger();
    const handler = lambda((() => ({ ok: true })) as any, { logger });
    expect(await handler(events.restV1(), lambdaContext())).toMatchObject({ statusCode: 500 });
    expect(logger.lines).toEqual([
      "POST /hello/world?name=me failed: TypeError: the app returned an object (Object) instead of a Response",
    ]);
  });

  it("answers 500 when the response body fails before anything was sent", async () => {
    const logger = memoryLogger();
    const body = new ReadableStream({
      pull(stream) {
        stream.error(new Error("disk read failed"));
      },
    });
    const handler = lambda(() => new Response(body, { headers: { "content-type": "text/plain" } }), {
      logger,
    });
    expect(await handler(events.httpV2(), lambdaContext())).toMatchObject({
      statusCode: 500,
      body: "Internal Server Error",
    });
    expect(logger.lines).toEqual([
      expect.stringMatching(
        /^GET \/ failed: Error: disk read failed \(at test\/responses\.test\.ts:\d+:\d+\)$/,
      ),
    ]);
  });

  it("answers 400 to a request fetch cannot express (an invalid header), without calling the app", async () => {
    const logger = memoryLogger();
    let called = false;
    const handler = lambda(
      () => {
        called = true;
        return new Response("ok");
      },
      { logger },
    );
    const event = events.httpV2();
    event.headers!["bad header"] = "x";
    expect(await handler(event, lambdaContext())).toMatchObject({ statusCode: 400, body: "Bad Request" });
    expect(called).toBe(false);
    expect(logger.lines[0]).toMatch(/^Bad request from api-gateway-v2: TypeError: /);
  });

  it("sends no body for HEAD, with the Content-Length GET would have", async () => {
    const handler = lambda(() => new Response("a body", { headers: { "content-type": "text/plain" } }));
    const event = { ...events.restV1(), httpMethod: "HEAD" };
    expect(await handler(event, lambdaContext())).toEqual({
      statusCode: 200,
      multiValueHeaders: { "content-type": ["text/plain"], "content-length": ["6"] },
      body: "",
      isBase64Encoded: false,
    });
  });

  it("answers 204 with an empty body and its headers", async () => {
    const handler = lambda(() => new Response(null, { status: 204, headers: { "x-done": "yes" } }));
    expect(await handler(events.functionUrl(), lambdaContext())).toEqual({
      statusCode: 204,
      headers: { "x-done": "yes" },
      body: "",
      isBase64Encoded: false,
    });
  });

  it("uses the reason phrase the app sets in the ALB statusDescription", async () => {
    const handler = lambda(() => new Response("", { status: 418, statusText: "I'm a teapot" }));
    expect(await handler(events.albMulti(), lambdaContext())).toMatchObject({
      statusDescription: "418 I'm a teapot",
    });
  });

  it("rejects an event that is not an HTTP request, naming what it got", async () => {
    const handler = lambda(() => new Response("ok"));
    const sqs = { Records: [{ messageId: "1", body: "hi", eventSource: "aws:sqs" }] };
    await expect(handler(sqs as any, lambdaContext())).rejects.toThrow(
      "[anyserver] lambda(app) received an event that is not an HTTP request from API Gateway, an ALB or a Function URL (its fields: Records). Point only HTTP triggers at this handler.",
    );
  });

  it("refuses streaming: true outside Lambda's runtime, saying why", () => {
    expect(() => lambda(() => new Response("ok"), { streaming: true })).toThrow(
      "Response streaming needs AWS Lambda's Node.js runtime, which provides the global awslambda.streamifyResponse, and it is missing here. Run the handler on Lambda's Node.js runtime (or aws-lambda-ric), or drop streaming: true.",
    );
  });
});

describe("lambda adapter: request context", () => {
  it("awaits waitUntil work, and work it starts, before the handler returns", async () => {
    const done: string[] = [];
    const handler = lambda((_request, context) => {
      context.waitUntil(
        (async () => {
          await new Promise((resolve) => setImmediate(resolve));
          done.push("first");
          context.waitUntil(Promise.resolve().then(() => done.push("second")));
        })(),
      );
      return new Response("answered");
    });
    await handler(events.httpV2(), lambdaContext());
    expect(done).toEqual(["first", "second"]);
  });

  it("logs a failed waitUntil task and still returns the response", async () => {
    const logger = memoryLogger();
    const handler = lambda(
      (_request, context) => {
        context.waitUntil(Promise.reject(new Error("metrics endpoint down")));
        return new Response("answered");
      },
      { logger },
    );
    expect(await handler(events.httpV2(), lambdaContext())).toMatchObject({
      statusCode: 200,
      body: "answered",
    });
    expect(logger.lines).toEqual([
      expect.stringMatching(
        /^waitUntil task failed: Error: metrics endpoint down \(at test\/responses\.test\.ts:\d+:\d+\)$/,
      ),
    ]);
  });

  it("takes the client address from the source, or the first X-Forwarded-For entry with trustProxy", async () => {
    const addresses: (string | undefined)[] = [];
    const app = (_request: Request, context: { remoteAddress: string | undefined }) => {
      addresses.push(context.remoteAddress);
      return new Response("ok");
    };
    const plain = lambda(app);
    const trusting = lambda(app, { trustProxy: true });
    for (const handler of [plain, trusting]) {
      await handler(events.restV1(), lambdaContext());
      await handler(events.alb(), lambdaContext());
      await handler(events.httpV2(), lambdaContext());
    }
    expect(addresses).toEqual([
      "192.168.196.186",
      "54.182.214.83",
      "1.2.3.4",
      "54.240.196.186",
      "54.240.196.186",
      "1.2.3.4",
    ]);
  });

  it("gives the app a request.signal, not aborted for a buffered invocation", async () => {
    let signal: AbortSignal | undefined;
    const handler = lambda((request) => {
      signal = request.signal;
      return new Response("ok");
    });
    await handler(events.functionUrl(), lambdaContext());
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal!.aborted).toBe(false);
  });
});
