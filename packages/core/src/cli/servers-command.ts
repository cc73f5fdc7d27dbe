import { readdirSync } from "node:fs";
import { join } from "node:path";
import { installCommand } from "../package-manager.ts";
import { resolveAdapter } from "../resolve-adapter.ts";
import { resolvePackage } from "../resolve-package.ts";
import { knownServers } from "../servers.ts";
import type { Adapter } from "../types.ts";
import { coreVersion } from "./version.ts";

interface Row {
  name: string;
  status: string;
  version: string;
  packageName: string;
  supports: string;
  note: string;
}

/** `anyserver servers`: every known server, and community adapters found in the project, with what each supports. */
export async function serversCommand(cwd: string): Promise<void> {
  const rows: Row[] = [];
  for (const server of knownServers) {
    const found = server.name === "node" ? undefined : resolvePackage(server.packageName, cwd);
    if (server.name !== "node" && !found) {
      const note = `install: ${installCommand(server.packageName, cwd)}`;
      rows.push({ ...server, status: "missing", version: "-", supports: "-", note });
      continue;
    }
    const version = found ? found.manifest.version : coreVersion();
    const status = found ? "installed" : "built in";
    rows.push({
      ...server,
      status,
      version,
      ...(await capabilities(server.packageName, server.description, cwd)),
    });
  }
  for (const packageName of communityAdapters(cwd)) {
    const found = resolvePackage(packageName, cwd);
    rows.push({
      name: packageName.slice("anyserver-adapter-".length),
      packageName,
      status: "installed",
      version: found?.manifest.version ?? "-",
      ...(await capabilities(packageName, "community adapter", cwd)),
    });
  }
  const header: Row = {
    name: "SERVER",
    status: "STATUS",
    version: "VERSION",
    packageName: "PACKAGE",
    supports: "SUPPORTS",
    note: "",
  };
  const all = [header, ...rows];
  const width = (key: keyof Row) => Math.max(...all.map((row) => row[key].length)) + 2;
  const widths = {
    name: width("name"),
    status: width("status"),
    version: width("version"),
    packageName: width("packageName"),
    supports: width("supports"),
  };
  for (const row of all) {
    const line =
      row.name.padEnd(widths.name) +
      row.status.padEnd(widths.status) +
      row.version.padEnd(widths.version) +
      row.packageName.padEnd(widths.packageName) +
      row.supports.padEnd(widths.supports) +
      row.note;
    process.stdout.write(`${line.trimEnd()}\n`);
  }
}

/** What the adapter in `packageName` declares it can do (`-w`, WebSockets, `--http2`), loading it as `-s` would. */
async function capabilities(
  packageName: string,
  description: string,
  cwd: string,
): Promise<{ supports: string; note: string }> {
  let adapter: Adapter<any>;
  try {
    adapter = await resolveAdapter(packageName === "@anyserver/core" ? "node" : packageName, { cwd });
  } catch (error) {
    return { supports: "-", note: (error as Error).message };
  }
  const supported = [
    !adapter.oneShot && adapter.unsupported?.workers === undefined && "workers",
    adapter.unsupported?.websocket === undefined && "websocket",
    adapter.http2 && "http2",
  ].filter(Boolean);
  return { supports: supported.join(",") || "-", note: description };
}

function communityAdapters(cwd: string): string[] {
  try {
    return readdirSync(join(cwd, "node_modules")).filter((name) => name.startsWith("anyserver-adapter-"));
  } catch {
    return [];
  }
}
