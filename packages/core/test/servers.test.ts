import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { knownServers } from "../src/servers.ts";

const packagesDir = new URL("../../", import.meta.url);
const adapterFolders = readdirSync(packagesDir).filter(
  (name) => name.startsWith("adapter-") && name !== "adapter-test-suite",
);

describe("known servers", () => {
  it("lists every adapter package of the workspace under its own name", () => {
    for (const folder of adapterFolders) {
      const manifest = JSON.parse(readFileSync(new URL(`${folder}/package.json`, packagesDir), "utf8"));
      const name = folder.slice("adapter-".length);
      expect(knownServers).toContainEqual(expect.objectContaining({ name, packageName: manifest.name }));
      expect(manifest.keywords).toContain("anyserver-adapter");
    }
  });

  it("names each official package after its server", () => {
    for (const server of knownServers.filter((s) => s.name !== "node")) {
      expect(server.packageName).toBe(`@anyserver/adapter-${server.name}`);
    }
    expect(new Set(knownServers.map((s) => s.name)).size).toBe(knownServers.length);
  });
});
