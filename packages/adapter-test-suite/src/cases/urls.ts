import { expect } from "vitest";
import { defineCases } from "../case.ts";

export const urlCases = defineCases("urls", [
  {
    id: "url-host-path-query",
    title: "gives the app request.url with scheme, host, port, path and query",
    async run(t) {
      const response = await t.fetch("/url/a/b.txt?x=1&y=two");
      const seen = await response.json();
      expect(seen.url).toBe(`${t.origin}/url/a/b.txt?x=1&y=two`);
      expect(seen.query).toEqual([
        ["x", "1"],
        ["y", "two"],
      ]);
    },
  },
  {
    id: "url-percent-encoded",
    title: "keeps a percent-encoded path encoded in request.url",
    async run(t) {
      const seen = await (await t.fetch("/url/caf%C3%A9/a%20b")).json();
      expect(seen.pathname).toBe("/url/caf%C3%A9/a%20b");
      expect(decodeURIComponent(seen.pathname)).toBe("/url/café/a b");
    },
  },
  {
    id: "url-encoded-slash",
    title: "does not decode %2F into a path separator",
    async run(t) {
      const seen = await (await t.fetch("/url/a%2Fb/c")).json();
      expect(seen.pathname).toBe("/url/a%2Fb/c");
    },
  },
  {
    id: "url-unicode-query",
    title: "gives the app unicode, repeated and plus-encoded query parameters",
    async run(t) {
      const name = encodeURIComponent("Zoë 🚀 &=");
      const seen = await (await t.fetch(`/url/q?name=${name}&tag=a&tag=b&plus=a+b&empty=`)).json();
      expect(seen.query).toEqual([
        ["name", "Zoë 🚀 &="],
        ["tag", "a"],
        ["tag", "b"],
        ["plus", "a b"],
        ["empty", ""],
      ]);
    },
  },
  {
    id: "url-host-header",
    title: "builds request.url from the Host header the client sent",
    async run(t) {
      const connection = await t.raw();
      connection.write(t.request("GET", "/url/h?q=1", { Host: "example.test:8123" }));
      const seen = JSON.parse((await connection.response()).body.toString());
      expect(seen.url).toBe("http://example.test:8123/url/h?q=1");
    },
  },
]);
