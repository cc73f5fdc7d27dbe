import { fileURLToPath } from "node:url";
import { describeAdapterCli } from "@anyserver/adapter-test-suite";

describeAdapterCli("koa", { packageDir: fileURLToPath(new URL("..", import.meta.url)) });
