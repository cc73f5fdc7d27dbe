import { describeAdapter } from "@anyserver/adapter-test-suite";
import hyperExpress from "../src/index.ts";

describeAdapter(hyperExpress, { unsupported: hyperExpress.unsupported });
