import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

const LOCKFILES: [file: string, command: string][] = [
  ["pnpm-lock.yaml", "pnpm add"],
  ["yarn.lock", "yarn add"],
  ["bun.lock", "bun add"],
  ["bun.lockb", "bun add"],
  ["package-lock.json", "npm install"],
];

/** The add command of the user's package manager: from the lockfile nearest `cwd`, else the one running us. */
export function installCommand(packageName: string, cwd = process.cwd()): string {
  for (let dir = cwd; ; dir = dirname(dir)) {
    for (const [file, command] of LOCKFILES)
      if (existsSync(join(dir, file))) return `${command} ${packageName}`;
    if (dirname(dir) === dir) break;
  }
  const agent = process.env.npm_config_user_agent ?? "";
  const found = ["pnpm", "yarn", "bun"].find((manager) => agent.startsWith(manager));
  return found ? `${found} add ${packageName}` : `npm install ${packageName}`;
}
