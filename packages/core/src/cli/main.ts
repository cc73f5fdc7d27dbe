#!/usr/bin/env node
import { AnyserverError } from "../errors.ts";
import { parse } from "./args.ts";
import { benchCommand } from "./bench/index.ts";
import { configArgs, pointToFile, settingsDropped } from "./config-file.ts";
import { HELP } from "./help.ts";
import { reloadCommand } from "./reload-command.ts";
import { serveCommand } from "./serve-command.ts";
import { serversCommand } from "./servers-command.ts";
import { coreVersion } from "./version.ts";

const COMMANDS = ["serve", "servers", "bench", "reload", "help", "version"];

async function main(argv: string[]): Promise<void> {
  const command = argv[0] && !argv[0].startsWith("-") ? argv[0] : "serve";
  if (!COMMANDS.includes(command)) {
    throw new AnyserverError(
      `Unknown command "${command}". Commands: serve, servers, bench, reload. Run "anyserver --help".`,
    );
  }
  if (command === "bench" && !argv.includes("--help") && !argv.includes("-h"))
    return benchCommand(argv.slice(1), process.cwd());
  const { argv: given, dropped } = settingsDropped(argv[0] === command ? argv.slice(1) : argv);
  const own = parse(given);
  if (own.values.help || command === "help") return void process.stdout.write(HELP);
  if (own.values.version || command === "version") return void process.stdout.write(`${coreVersion()}\n`);
  if (command === "servers") return serversCommand(process.cwd());
  // The config file's settings come first: the command line's own flags replace them.
  const config = await configArgs(given, process.cwd(), process.env, dropped);
  const args = config.args.length > 0 ? parse([...config.args, ...given]) : own;
  try {
    if (command === "reload") return reloadCommand(args, process.cwd());
    if (args.positionals.length === 0 && config.entry) args.positionals.push(config.entry);
    await serveCommand(args, process.cwd());
  } catch (error) {
    throw pointToFile(error, config, own.values);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // What the user can fix is one line; anything else too, with the stack only on request.
  if (error instanceof AnyserverError) process.stderr.write(`[anyserver] ${error.message}\n`);
  else if (process.env.ANYSERVER_DEBUG)
    process.stderr.write(`[anyserver] ${(error as Error)?.stack ?? error}\n`);
  else {
    const line = error instanceof Error ? `${error.name}: ${error.message.split("\n")[0]}` : String(error);
    process.stderr.write(`[anyserver] Unexpected error: ${line} (set ANYSERVER_DEBUG=1 for the stack)\n`);
  }
  process.exit(1);
});
