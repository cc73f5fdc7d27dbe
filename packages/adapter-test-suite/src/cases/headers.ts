import { expect } from "vitest";
import { defineCases } from "../case.ts";
import { COOKIES, EXACT_HEADERS } from "../fixture/basic.ts";
import { header, headerValues, type RawResponse } from "../raw-http.ts";

/** A response's head without Date (it differs between two responses), header lines sorted. */
function comparableHead(response: RawResponse): string[] {
  const lines = response.headers
    .filter(([name]) => name.toLowerCase() !== "date")
    .map(([name, value]) => `${name.toLowerCase()}: ${value}`)
    .sort();
  return [`${response.status} ${response.statusText}`, ...lines];
}

export const headerCases = defineCases("headers", [
  {
    id: "fast-response-same-bytes",
    title: "sends a FastResponse exactly as the same global Response: status, reason, headers, body",
    async run(t) {
      for (const kind of ["text", "bytes", "empty", "typed"]) {
        const fast = await t.raw();
        fast.write(t.request("GET", `/fast?kind=${kind}`));
        const standard = await t.raw();
        standard.write(t.request("GET", `/fast?kind=${kind}&standard=1`));
        const [got, expected] = [await fast.response(), await standard.response()];
        expect(comparableHead(got), kind).toEqual(comparableHead(expected));
        expect(got.body.equals(expected.body), kind).toBe(true);
      }
    },
  },
  {
    id: "fast-response-header-injection",
    title: "answers 500 for a FastResponse header holding CR LF, never putting its second line on the wire",
    async run(t) {
      for (const part of ["value", "name"]) {
        const connection = await t.raw();
        connection.write(t.request("GET", `/fast-injection?in=${part}`));
        const response = await connection.response();
        expect(response.status, part).toBe(500);
        expect(header(response, "x-injected"), part).toBeUndefined();
        expect(response.body.toString(), part).not.toContain("injected");
      }
      expect((await t.fetch("/")).status).toBe(200);
    },
  },
  {
    id: "set-cookie-multiple",
    title: "sends each Set-Cookie on its own header line, never folded",
    async run(t) {
      const connection = await t.raw();
      connection.write(t.request("GET", "/cookies"));
      expect(headerValues(await connection.response(), "set-cookie")).toEqual(COOKIES);
      const response = await t.fetch("/cookies");
      expect(response.headers.getSetCookie()).toEqual(COOKIES);
    },
  },
  {
    id: "response-headers-exact",
    title: "sends response header values byte for byte (inner spaces, quotes, separators)",
    async run(t) {
      const connection = await t.raw();
      connection.write(t.request("GET", "/response-headers"));
      const response = await connection.response();
      for (const [name, value] of EXACT_HEADERS) expect(headerValues(response, name), name).toEqual([value]);
      expect(response.body.toString()).toBe("exact");
    },
  },
  {
    id: "response-headers-large",
    title: "sends 40 headers of 200 bytes and one of 8 KiB intact",
    async run(t) {
      const connection = await t.raw();
      connection.write(t.request("GET", "/large-headers?count=40&size=200&huge=8192"));
      const response = await connection.response();
      expect(response.status).toBe(200);
      for (let i = 0; i < 40; i++) expect(header(response, `x-large-${i}`)).toBe(`${i}:`.padEnd(200, "v"));
      expect(header(response, "x-huge")).toBe("h".repeat(8192));
      expect(response.body.toString()).toBe("large headers");
    },
  },
  {
    id: "request-headers-multi-value",
    title: "joins a request header sent on several lines into one comma-separated value",
    async run(t) {
      const connection = await t.raw();
      const headers: [string, string][] = [
        ["X-Multi", "first"],
        ["X-Multi", "second"],
        ["Accept", "text/html"],
        ["Accept", "application/json"],
      ];
      connection.write(t.request("GET", "/headers?names=x-multi,accept", headers));
      const response = await connection.response();
      const seen = JSON.parse(response.body.toString());
      expect(seen.get).toEqual({ "x-multi": "first, second", accept: "text/html, application/json" });
    },
  },
  {
    id: "request-headers-case-insensitive",
    title: "gives the app request headers by any name case",
    async run(t) {
      const connection = await t.raw();
      connection.write(
        t.request("GET", "/headers?names=x-mixed-case,X-MIXED-CASE", { "X-MiXeD-CaSe": "Value Kept" }),
      );
      const seen = JSON.parse((await connection.response()).body.toString());
      expect(seen.get).toEqual({ "x-mixed-case": "Value Kept", "X-MIXED-CASE": "Value Kept" });
      expect(seen.entries).toContainEqual(["x-mixed-case", "Value Kept"]);
    },
  },
  {
    id: "request-headers-large",
    title: "gives the app an 8 KiB request header intact",
    async run(t) {
      const value = "r".repeat(8 * 1024);
      const response = await t.fetch("/headers?names=x-big", { headers: { "x-big": value } });
      expect(response.status).toBe(200);
      expect((await response.json()).get["x-big"]).toBe(value);
    },
  },
]);
