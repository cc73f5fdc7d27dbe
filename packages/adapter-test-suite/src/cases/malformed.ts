import { expect } from "vitest";
import { type CaseContext, defineCases } from "../case.ts";

/** Bytes that are not valid HTTP get a 4xx, and the server answers the next client. */
async function expectClientError(t: CaseContext, bytes: string | Buffer): Promise<void> {
  const connection = await t.raw();
  connection.write(bytes);
  const response = await connection.response();
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  const next = await t.fetch("/");
  expect(next.status).toBe(200);
  expect(await next.text()).toBe("Hello, World!");
}

export const malformedCases = defineCases("malformed requests", [
  {
    id: "malformed-request-line",
    title: "answers a request line that is not HTTP with a 4xx and serves on",
    run: (t) => expectClientError(t, "THIS IS NOT HTTP\r\n\r\n"),
  },
  {
    id: "malformed-header",
    title: "answers a header line without a colon with a 4xx and serves on",
    run: (t) => expectClientError(t, "GET / HTTP/1.1\r\nHost: localhost\r\nBroken header line\r\n\r\n"),
  },
  {
    id: "malformed-content-length",
    title: "answers a non-numeric or conflicting Content-Length with a 4xx (no request smuggling)",
    async run(t) {
      await expectClientError(t, "POST /text HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n");
      await expectClientError(
        t,
        "POST /text HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
      );
    },
  },
  {
    id: "request-headers-too-large",
    title: "answers 64 KiB of request headers with a 4xx and serves on",
    run: (t) => expectClientError(t, t.request("GET", "/", { "X-Huge": "h".repeat(64 * 1024) })),
  },
]);
