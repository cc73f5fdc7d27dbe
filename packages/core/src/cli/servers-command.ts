import { readdirSync } from "node:fs";
import { join } from "node:path";
import { installCommand } from "../package-manager.ts";
import { resolvePackage } from "../resolve-package.ts";
import { knownServers } from "../servers.ts";
import { coreVersion } from "./version.ts";

interface Row {
  name: string;
  status: string;
  version: string;
  packageName: string;
  note: string;
}

/** `anyserver servers`: every known server, and community adapters found in the project. */
export function serversCommand(cwd: string): void {
  const rows: Row[] = knownServers.map((server) => {
    if (server.name === "node") {
      return { ...server, status: "built in", version: coreVersion(), note: server.description };
    }
    const found = resolvePackage(server.packageName, cwd);
    return found
      ? { ...server, status: "installed", version: found.manifest.version, note: server.description }
      : {
          ...server,
          status: "missing",
          version: "-",
          note: `install: ${installCommand(server.packageName, cwd)}`,
        };
  });
  for (const packageName of communityAdapters(cwd)) {
    const found = resolvePackage(packageName, cwd);
    const name = packageName.slice("anyserver-adapter-".length);
    rows.push({
      name,
      packageName,
      status: "installed",
      version: found?.manifest.version ?? "-",
      note: "community adapter",
    });
  }
  const header: Row = {
    name: "SERVER",
    status: "STATUS",
    version: "VERSION",
    packageName: "PACKAGE",
    note: "",
  };
  const all = [header, ...rows];
  const width = (key: keyof Row) => Math.max(...all.map((row) => row[key].length)) + 2;
  const widths = {
    name: width("name"),
    status: width("status"),
    version: width("version"),
    packageName: width("packageName"),
  };
  for (const row of all) {
    const line =
      row.name.padEnd(widths.name) +
      row.status.padEnd(widths.status) +
      row.version.padEnd(widths.version) +
      row.packageName.padEnd(widths.packageName) +
      row.note;
    process.stdout.write(`${line.trimEnd()}\n`);
  }
}

function communityAdapters(cwd: string): string[] {
  try {
    return readdirSync(join(cwd, "node_modules")).filter((name) => name.startsWith("anyserver-adapter-"));
  } catch {
    return [];
  }
}
