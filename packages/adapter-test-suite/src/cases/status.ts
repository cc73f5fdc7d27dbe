import { expect } from "vitest";
import type { CaseContext } from "../case.ts";
import { defineCases } from "../case.ts";
import { header } from "../raw-http.ts";

/** A bodiless status, read off the wire with a request pipelined behind it to catch stray bytes. */
async function expectNoBody(t: CaseContext, code: number): Promise<void> {
  const connection = await t.raw();
  connection.write(
    Buffer.concat([t.request("GET", `/status?code=${code}`), t.request("GET", "/", { Connection: "close" })]),
  );
  const response = await connection.response("GET");
  expect(response.status).toBe(code);
  expect(header(response, "transfer-encoding")).toBeUndefined();
  expect(response.body.length).toBe(0);
  // Had the server sent a body (or a chunked terminator), this would not parse as the next response.
  const next = await connection.response("GET");
  expect(next.status).toBe(200);
  expect(next.body.toString()).toBe("Hello, World!");
}

export const statusCases = defineCases("status", [
  {
    id: "status-204-no-body",
    title: "sends 204 with no body and no chunked framing",
    run: (t) => expectNoBody(t, 204),
  },
  {
    id: "status-304-no-body",
    title: "sends 304 with its ETag and no body",
    async run(t) {
      await expectNoBody(t, 304);
      const response = await t.fetch("/status?code=304");
      expect(response.headers.get("etag")).toBe('"v1"');
    },
  },
  {
    id: "status-text-custom",
    title: "sends the app's custom status text in the status line",
    async run(t) {
      const connection = await t.raw();
      connection.write(t.request("GET", "/status?code=299&text=Everything%20Is%20Fine"));
      const response = await connection.response();
      expect(response.head.split("\r\n")[0]).toBe("HTTP/1.1 299 Everything Is Fine");
      expect(response.body.toString()).toBe("status 299");
    },
  },
  {
    id: "status-codes",
    title: "passes 201, 301 with Location, 400, 418, 500 and 503 from the app through",
    async run(t) {
      for (const code of [201, 301, 400, 418, 500, 503]) {
        const response = await t.fetch(`/status?code=${code}`, { redirect: "manual" });
        expect(response.status, `status ${code}`).toBe(code);
        expect(await response.text()).toBe(`status ${code}`);
        if (code === 301) expect(response.headers.get("location")).toBe("/");
      }
    },
  },
  {
    id: "not-found-passthrough",
    title: "passes the app's own 404 body and headers through",
    async run(t) {
      const response = await t.fetch("/no/such/route");
      expect(response.status).toBe(404);
      expect(response.headers.get("x-fixture")).toBe("not-found");
      expect(await response.text()).toBe("Not Found: /no/such/route");
    },
  },
  {
    id: "response-empty-body",
    title: "sends a null body and an empty string body as a zero-length 200",
    async run(t) {
      for (const path of ["/empty", "/empty-string"]) {
        const connection = await t.raw();
        connection.write(t.request("GET", path, { Connection: "close" }));
        const response = await connection.response();
        expect(response.status, path).toBe(200);
        expect(response.body.length, path).toBe(0);
        const length = header(response, "content-length");
        if (length !== undefined) expect(length, path).toBe("0");
      }
    },
  },
]);
