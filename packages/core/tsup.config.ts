import { preset } from "../../tsup.config.ts";

export default preset({ entry: { index: "src/index.ts", cli: "src/cli/main.ts" } });
