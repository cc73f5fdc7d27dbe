import { fileURLToPath } from "node:url";
import { describeAdapterCli } from "@anyserver/adapter-test-suite";

describeAdapterCli("fastify", { packageDir: fileURLToPath(new URL("..", import.meta.url)) });
