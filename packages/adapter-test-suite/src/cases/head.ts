import { expect } from "vitest";
import { defineCases } from "../case.ts";
import { header } from "../raw-http.ts";

export const headCases = defineCases("head", [
  {
    id: "head-no-body",
    title: "answers HEAD with the GET headers and not one body byte",
    async run(t) {
      const connection = await t.raw();
      connection.write(t.request("HEAD", "/head", { Connection: "close" }));
      const response = await connection.response("HEAD");
      expect(response.status).toBe(200);
      expect(header(response, "content-length")).toBe(String("head body bytes\n".length));
      await connection.closed();
      // Anything after the head would be a body the client never asked for.
      expect(connection.buffered.toString("latin1")).toBe("");
    },
  },
  {
    id: "head-same-headers",
    title: "sends HEAD the same status and headers as GET",
    async run(t) {
      const get = await t.fetch("/head");
      const head = await t.fetch("/head", { method: "HEAD" });
      await get.arrayBuffer();
      expect(head.status).toBe(get.status);
      for (const name of ["content-type", "content-length", "etag", "x-fixture"]) {
        expect(head.headers.get(name), name).toBe(get.headers.get(name));
      }
      expect(head.headers.get("x-fixture")).toBe("head");
      expect(await head.text()).toBe("");
    },
  },
  {
    id: "head-streamed-body",
    title: "ends a HEAD response whose app body is an endless stream, without reading it",
    async run(t) {
      const id = t.newId();
      const connection = await t.raw();
      // 1 GiB: a server that pumps the body for HEAD would not finish in the case's time.
      connection.write(t.request("HEAD", `/pull?id=${id}&total=1073741824`, { Connection: "close" }));
      const response = await connection.response("HEAD");
      expect(response.status).toBe(200);
      expect(header(response, "content-type")).toBe("application/octet-stream");
      await connection.closed();
      expect(connection.buffered.toString("latin1")).toBe("");
      const state = await t.fixture.state(id);
      expect(Number(state.pulled ?? 0)).toBeLessThan(16 * 1024 * 1024);
    },
  },
]);
