import { preset } from "../../tsup.config.ts";

export default preset();
