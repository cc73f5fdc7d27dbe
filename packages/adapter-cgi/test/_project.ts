import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "./_hosts.ts";

const packages = fileURLToPath(new URL("../../", import.meta.url));

/** The fixture app of these tests. */
export const FIXTURE_APP = fileURLToPath(new URL("fixtures/app.mjs", import.meta.url));

/** A user's project as a CGI host sees it: node_modules with @anyserver/core and the cgi adapter, and a www/ folder. */
export interface CgiProject {
  dir: string;
  www: string;
  /** Write the two-line wrapper the README shows as www/NAME, serving `entry` with `-s cgi`. */
  script(name: string, entry: string, ...args: string[]): string;
  /** Remove the project (after its host stopped). */
  remove(): void;
}

export function cgiProject(): CgiProject {
  const dir = tempDir("cgi");
  const scope = join(dir, "node_modules", "@anyserver");
  mkdirSync(scope, { recursive: true });
  symlinkSync(join(packages, "core"), join(scope, "core"));
  symlinkSync(join(packages, "adapter-cgi"), join(scope, "adapter-cgi"));
  const www = join(dir, "www");
  mkdirSync(www);
  return {
    dir,
    www,
    script(name, entry, ...args) {
      const path = join(www, name);
      const command = [
        process.execPath,
        "node_modules/@anyserver/core/dist/cli.js",
        "serve",
        entry,
        "-s",
        "cgi",
        ...args,
      ];
      writeFileSync(path, `#!/bin/sh\ncd '${dir}' && exec ${command.map((word) => `'${word}'`).join(" ")}\n`);
      chmodSync(path, 0o755);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
