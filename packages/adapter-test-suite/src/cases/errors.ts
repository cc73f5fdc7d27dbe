import { expect } from "vitest";
import { type CaseContext, defineCases } from "../case.ts";
import { ERROR_MARKER } from "../fixture/control.ts";

/** A failing route answers 500 without error details, and the server serves the next request. */
async function expectSafe500(t: CaseContext, path: string): Promise<void> {
  const response = await t.fetch(path);
  expect(response.status).toBe(500);
  const body = await response.text();
  expect(body).not.toContain(ERROR_MARKER);
  expect(body).not.toMatch(/\n\s+at /);
  const next = await t.fetch("/");
  expect(next.status).toBe(200);
  expect(await next.text()).toBe("Hello, World!");
}

export const errorCases = defineCases("errors", [
  {
    id: "error-throw",
    title: "answers a handler that throws with 500, no stack in the body, and serves on",
    run: (t) => expectSafe500(t, "/throw"),
  },
  {
    id: "error-reject",
    title: "answers a handler whose promise rejects with 500 and serves on",
    run: (t) => expectSafe500(t, "/reject"),
  },
  {
    id: "error-non-response",
    title: "answers a handler that returns a non-Response with 500 and serves on",
    run: (t) => expectSafe500(t, "/not-a-response"),
  },
  {
    id: "error-logged",
    title: "logs a failed request as one line through the logger, without the stack",
    async run(t) {
      const before = t.errorLog.length;
      expect((await t.fetch("/throw?logged")).status).toBe(500);
      const lines = t.errorLog.slice(before).filter((line) => line.includes("/throw?logged"));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(ERROR_MARKER);
      expect(lines[0]).not.toContain("\n");
    },
  },
  {
    id: "error-stream-midway",
    title: "cuts the connection when the app's body stream fails mid-way, and serves on",
    async run(t) {
      const response = await t.fetch("/stream-error");
      expect(response.status).toBe(200);
      // A clean end would pass the truncated body off as complete.
      await expect(response.arrayBuffer()).rejects.toThrow();
      const next = await t.fetch("/");
      expect(await next.text()).toBe("Hello, World!");
    },
  },
  {
    id: "error-stream-logged",
    title: "logs a body stream that fails mid-way as one line naming the request and the error",
    async run(t) {
      const before = t.errorLog.length;
      const response = await t.fetch("/stream-error?logged");
      // How the client learns of the cut is error-stream-midway's: this case is about the operator.
      await response.arrayBuffer().catch(() => {});
      const logged = () => t.errorLog.slice(before).filter((line) => line.includes("/stream-error?logged"));
      // The failure reaches the logger once the server has cut the connection: wait for it, bounded.
      for (let i = 0; i < 100 && logged().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(logged()).toHaveLength(1);
      expect(logged()[0]).toContain("fixture stream failure");
      expect(logged()[0]).not.toContain("\n");
    },
  },
]);
