import { type ChildProcess, spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RuntimeApi } from "./_runtime-api.ts";

/** The entry of the aws-lambda-ric package, or undefined when it is not installed (its build failed). */
export function ricEntry(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve("aws-lambda-ric/package.json")), "index.mjs");
  } catch {
    return undefined;
  }
}

/** Start the runtime interface client on `test/fixtures/ric/function.mjs`, polling `api`. */
export function startRic(
  entry: string,
  api: RuntimeApi,
  env: Record<string, string>,
): { child: ChildProcess; output: () => string } {
  let output = "";
  const child = spawn(process.execPath, [entry], {
    env: {
      PATH: process.env.PATH ?? "",
      AWS_LAMBDA_RUNTIME_API: api.address,
      LAMBDA_TASK_ROOT: fileURLToPath(new URL("fixtures/ric/", import.meta.url)),
      _HANDLER: "function.handler",
      AWS_LAMBDA_FUNCTION_NAME: "app",
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "128",
      AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/app",
      AWS_LAMBDA_LOG_STREAM_NAME: "2026/01/01/[$LATEST]local",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  return { child, output: () => output };
}

export function stopRic(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/** The test's own server the function calls at steps the test must see or gate (CONTROL_URL). */
export interface Control {
  url: string;
  /** Steps the function reached, in order. */
  steps: string[];
  /** Hold `/first-arrived` until released (when the streamed first chunk reached the Runtime API). */
  releaseFirst(): void;
  close(): Promise<void>;
}

export async function startControl(): Promise<Control> {
  const steps: string[] = [];
  let releaseFirst: () => void = () => {};
  let first = new Promise<void>((resolve) => (releaseFirst = resolve));
  const server: Server = createServer(async (req, res) => {
    const step = req.url ?? "";
    steps.push(step);
    if (step === "/first-arrived") {
      await first;
      first = new Promise<void>((resolve) => (releaseFirst = resolve));
      return res.end("second");
    }
    res.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    steps,
    releaseFirst: () => releaseFirst(),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
