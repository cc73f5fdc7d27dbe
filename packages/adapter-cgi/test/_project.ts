import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "./_hosts.ts";

const packages = fileURLToPath(new URL("../../", import.meta.url));

/** The fixture app of these tests. */
export const FIXTURE_APP = fileURLToPath(new URL("fixtures/app.mjs", import.meta.url));

/** A user's project: node_modules with @anyserver/core and adapters, and a www/ folder for CGI scripts. */
export interface UserProject {
  dir: string;
  www: string;
  /** Write the two-line wrapper the README shows as www/NAME, serving `entry` with `-s cgi`. */
  script(name: string, entry: string, ...args: string[]): string;
  /** Remove the project (after its host stopped). */
  remove(): void;
}

/** `adapters`: the folders under packages/ linked into node_modules/@anyserver beside core. */
export function userProject(adapters = ["adapter-cgi"]): UserProject {
  const dir = tempDir("project");
  const scope = join(dir, "node_modules", "@anyserver");
  mkdirSync(scope, { recursive: true });
  for (const name of ["core", ...adapters]) symlinkSync(join(packages, name), join(scope, name));
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
