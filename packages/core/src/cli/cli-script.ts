import { fileURLToPath } from "node:url";

/** The `anyserver` script itself (dist/cli.js, next to the chunk this is bundled into), for child processes. */
export const CLI_SCRIPT = fileURLToPath(new URL("./cli.js", import.meta.url));
