import { describeAdapter } from "@anyserver/adapter-test-suite";
import express from "../src/index.ts";

describeAdapter(express);
