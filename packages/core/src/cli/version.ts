import { readFileSync } from "node:fs";

/** This package's version, read from its package.json (dist/ and src/cli/ both sit below it). */
export function coreVersion(): string {
  for (const path of ["../package.json", "../../package.json"]) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8"));
      if (manifest.name === "@anyserver/core") return manifest.version;
    } catch {}
  }
  return "unknown";
}
