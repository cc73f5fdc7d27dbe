import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { AnyserverError } from "./errors.ts";
import { nodeAdapter } from "./node/adapter.ts";
import { installCommand } from "./package-manager.ts";
import { resolvePackage } from "./resolve-package.ts";
import { findKnownServer, knownServers } from "./servers.ts";
import type { Adapter } from "./types.ts";

export interface ResolveAdapterOptions {
  /**
   * Folder whose node_modules are searched (the user's project).
   * @default process.cwd()
   */
  cwd?: string;
}

/**
 * The adapter for `-s NAME`: `node` is built in; otherwise `@anyserver/adapter-NAME`,
 * then `anyserver-adapter-NAME`, then NAME as a package name, then as a file path.
 */
export async function resolveAdapter(
  name: string,
  options: ResolveAdapterOptions = {},
): Promise<Adapter<any>> {
  const cwd = options.cwd ?? process.cwd();
  if (name === "node") return nodeAdapter;
  if (looksLikePath(name)) return loadAdapterFile(resolve(cwd, name), name);
  const candidates =
    name.startsWith("@") || name.includes("/")
      ? [name]
      : [`@anyserver/adapter-${name}`, `anyserver-adapter-${name}`, name];
  for (const packageName of candidates) {
    const found = resolvePackage(packageName, cwd);
    if (found) return adapterFrom(await importAdapter(found.entry, packageName), packageName);
  }
  const known = findKnownServer(name);
  if (known) {
    throw new AnyserverError(
      `Server "${name}" is not installed. Run: ${installCommand(known.packageName, cwd)}`,
      "ADAPTER_NOT_INSTALLED",
    );
  }
  if (existsSync(resolve(cwd, name))) return loadAdapterFile(resolve(cwd, name), name);
  throw new AnyserverError(
    `Unknown server "${name}": no package @anyserver/adapter-${name} or anyserver-adapter-${name} is installed. Known servers: ${knownServers.map((s) => s.name).join(", ")} (see: anyserver servers).`,
    "UNKNOWN_SERVER",
  );
}

function looksLikePath(name: string): boolean {
  return name.startsWith(".") || isAbsolute(name) || /\.[cm]?[jt]s$/.test(name);
}

async function loadAdapterFile(path: string, name: string): Promise<Adapter<any>> {
  if (!existsSync(path))
    throw new AnyserverError(`Adapter file "${name}" not found at ${path}.`, "ADAPTER_NOT_FOUND");
  return adapterFrom(await importAdapter(path, name), name);
}

async function importAdapter(path: string, label: string): Promise<Record<string, unknown>> {
  try {
    return await import(pathToFileURL(path).href);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new AnyserverError(`Loading server "${label}" failed: ${reason}`, "ADAPTER_LOAD_FAILED");
  }
}

/** Accept a default-exported adapter, a factory returning one, or a named `adapter` export. */
function adapterFrom(module: Record<string, unknown>, label: string): Adapter<any> {
  for (const candidate of [module.default, module.adapter]) {
    const adapter = typeof candidate === "function" ? (candidate as () => unknown)() : candidate;
    if (isAdapter(adapter)) return adapter;
  }
  throw new AnyserverError(
    `"${label}" is not an anyserver adapter: it must export default an object with a name and a serve() method.`,
    "NOT_AN_ADAPTER",
  );
}

function isAdapter(value: unknown): value is Adapter<any> {
  return typeof value === "object" && value !== null && typeof (value as Adapter).serve === "function";
}
