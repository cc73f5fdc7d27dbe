import { describeAdapter } from "@anyserver/adapter-test-suite";
import uws from "../src/index.ts";

describeAdapter(uws, { unsupported: uws.unsupported });
