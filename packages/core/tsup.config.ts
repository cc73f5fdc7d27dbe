import { preset } from "../../tsup.config.ts";

// Shared chunks, so the CLI, the main entry, @anyserver/core/cgi and /uws have one AnyserverError class (instanceof holds).
export default preset({
  entry: { index: "src/index.ts", cli: "src/cli/main.ts", cgi: "src/cgi/index.ts", uws: "src/uws/index.ts" },
  splitting: true,
});
