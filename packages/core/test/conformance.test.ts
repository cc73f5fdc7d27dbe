import { describeAdapter } from "@anyserver/adapter-test-suite";
import { nodeAdapter } from "../src/index.ts";

describeAdapter(nodeAdapter);
