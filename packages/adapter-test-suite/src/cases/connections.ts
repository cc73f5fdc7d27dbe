import { expect } from "vitest";
import { defineCases } from "../case.ts";
import { header } from "../raw-http.ts";

export const connectionCases = defineCases("connections", [
  {
    id: "keep-alive-reuse",
    title: "serves several requests one after another on one kept-alive connection",
    async run(t) {
      const connection = await t.raw();
      // One raw socket: each answer on it proves the connection was reused.
      for (let i = 0; i < 3; i++) {
        connection.write(t.request("GET", `/url/${i}`));
        const response = await connection.response();
        expect(response.status).toBe(200);
        expect(header(response, "connection")?.toLowerCase()).not.toBe("close");
        expect(JSON.parse(response.body.toString()).pathname).toBe(`/url/${i}`);
      }
      expect(connection.ended).toBe(false);
    },
  },
  {
    id: "pipelining",
    title: "answers three pipelined requests in order",
    async run(t) {
      const connection = await t.raw();
      connection.write(
        Buffer.concat([
          t.request("GET", "/url/1"),
          t.request("POST", "/text", { "Content-Length": "3" }, "two"),
          t.request("GET", "/url/3"),
        ]),
      );
      expect(JSON.parse((await connection.response()).body.toString()).pathname).toBe("/url/1");
      expect(JSON.parse((await connection.response()).body.toString()).text).toBe("two");
      expect(JSON.parse((await connection.response()).body.toString()).pathname).toBe("/url/3");
    },
  },
  {
    id: "concurrency",
    title: "answers 100 parallel requests, each with its own body",
    async run(t) {
      const numbers = Array.from({ length: 100 }, (_, n) => n);
      const bodies = await Promise.all(
        numbers.map(async (n) => {
          const response = await t.fetch(`/concurrent?n=${n}`);
          expect(response.status).toBe(200);
          return response.text();
        }),
      );
      expect(bodies).toEqual(numbers.map(String));
    },
  },
  {
    id: "http10",
    title: "answers an HTTP/1.0 request and then closes the connection",
    async run(t) {
      const connection = await t.raw();
      connection.write("GET / HTTP/1.0\r\n\r\n");
      const response = await connection.response();
      expect(response.status).toBe(200);
      expect(response.version).toMatch(/^HTTP\/1\.[01]$/);
      expect(response.body.toString()).toBe("Hello, World!");
      await connection.closed();
    },
  },
  {
    id: "expect-continue",
    title: "answers Expect: 100-continue with 100 before reading the body",
    async run(t) {
      const connection = await t.raw();
      connection.write(t.request("POST", "/text", { "Content-Length": "11", Expect: "100-continue" }));
      const interim = await connection.response();
      expect(interim.status).toBe(100);
      connection.write("hello there");
      const response = await connection.response();
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body.toString())).toEqual({ text: "hello there", length: 11 });
    },
  },
]);
