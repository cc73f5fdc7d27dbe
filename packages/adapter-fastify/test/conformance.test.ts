import { describeAdapter } from "@anyserver/adapter-test-suite";
import fastify from "../src/index.ts";

describeAdapter(fastify);
