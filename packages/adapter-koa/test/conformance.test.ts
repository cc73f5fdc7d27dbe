import { describeAdapter } from "@anyserver/adapter-test-suite";
import koa from "../src/index.ts";

describeAdapter(koa);
