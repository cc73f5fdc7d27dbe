import { expect } from "vitest";
import { type CaseContext, defineCases } from "../case.ts";

/** A method with a body the app reads back, proving both reached it. */
function methodCase(method: string) {
  return {
    id: `method-${method.toLowerCase()}`,
    title: `answers ${method} with the method and body the app received`,
    async run(t: CaseContext) {
      const response = await t.fetch("/method", { method, body: `payload of ${method}` });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(`${method} payload of ${method}`);
    },
  };
}

export const methodCases = defineCases("methods", [
  {
    id: "method-get",
    title: "answers GET with the app's body and content type",
    async run(t) {
      const response = await t.fetch("/");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/plain;charset=UTF-8");
      expect(await response.text()).toBe("Hello, World!");
    },
  },
  methodCase("POST"),
  methodCase("PUT"),
  methodCase("PATCH"),
  methodCase("DELETE"),
  {
    id: "method-options",
    title: "answers OPTIONS with 204 and the app's Allow header",
    async run(t) {
      const response = await t.fetch("/method", { method: "OPTIONS" });
      expect(response.status).toBe(204);
      expect(response.headers.get("allow")).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
      expect(await response.text()).toBe("");
    },
  },
]);
