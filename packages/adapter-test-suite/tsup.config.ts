import { preset } from "../../tsup.config.ts";

// vitest is the host test runner (a peer): bundling it would give the suite a second, inert copy.
export default preset({
  entry: { index: "src/index.ts", fixture: "src/fixture-entry.ts", compat: "src/compat/cli.ts" },
  external: ["vitest", "@anyserver/core"],
});
