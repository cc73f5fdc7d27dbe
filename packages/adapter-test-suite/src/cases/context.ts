import { expect } from "vitest";
import { defineCases } from "../case.ts";

export const contextCases = defineCases("context", [
  {
    id: "context-remote-address",
    title: "gives the app the client's address, 127.0.0.1",
    async run(t) {
      const seen = await (await t.fetch("/context")).json();
      expect(seen.remoteAddress).toBe("127.0.0.1");
    },
  },
  {
    id: "context-remote-port",
    title: "gives the app the client's port",
    async run(t) {
      const connection = await t.raw();
      connection.write(t.request("GET", "/context"));
      const seen = JSON.parse((await connection.response()).body.toString());
      expect(seen.remotePort).toBe(connection.socket.localPort);
    },
  },
  {
    id: "context-adapter-name",
    title: "gives the app the adapter's name",
    async run(t) {
      const seen = await (await t.fetch("/context")).json();
      expect(seen.adapter).toBe(t.adapter);
    },
  },
]);
