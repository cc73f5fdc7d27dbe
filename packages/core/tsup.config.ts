import { preset } from "../../tsup.config.ts";

// Shared chunks, so the CLI, the main entry and @anyserver/core/cgi have one AnyserverError class (instanceof holds).
export default preset({
  entry: { index: "src/index.ts", cli: "src/cli/main.ts", cgi: "src/cgi/index.ts" },
  splitting: true,
});
