import cluster from "node:cluster";
import { errorLine } from "../logger.ts";
import type { App, Logger, RunningServer } from "../types.ts";
import { startWorkerRelay } from "../websocket/relay.ts";
import { withHealth } from "./health.ts";
import {
  type DrainReason,
  isOurMessage,
  type SupervisorMessage,
  WORKER_PORT_ENV,
  type WorkerMessage,
} from "./messages.ts";
import { heartbeatInterval, type SupervisorOptions } from "./options.ts";
import { countRequests, drawRequestLimit } from "./request-limit.ts";

export interface WorkerRunOptions {
  /** Load the app and start this process's server, with the app wrapped by `wrap`. */
  start(wrap: (app: App) => App): Promise<RunningServer>;
  supervision: SupervisorOptions;
  /** The `--health` path, answered before the app. */
  health?: string;
}

/**
 * Run this process as a supervised worker: start the server, tell the supervisor when it is
 * ready, send heartbeats from the event loop, and drain when told to (or when the supervisor dies).
 */
export async function runWorker({ start, supervision, health }: WorkerRunOptions): Promise<void> {
  let server: RunningServer | undefined;
  let stopping = false;
  let draining = false;
  // WebSocket publishes reach the subscribers of every worker, through the supervisor.
  startWorkerRelay();

  const drain = (reason: DrainReason) => {
    if (reason === "shutdown") stopping = true;
    if (draining) return;
    draining = true;
    // Still booting: nothing is in flight yet.
    if (!server) process.exit(0);
    // The supervisor answers "drained" with "exit" (see SupervisorMessage); without a supervisor, leave now.
    server.close({ timeout: supervision.gracefulTimeout }).finally(() => {
      drained = true;
      if (process.connected) send({ anyserver: "drained" });
      else process.exit(0);
    });
  };
  let drained = false;
  // Job control and hang-up reach the whole process group; only the supervisor acts on them.
  for (const signal of ["SIGHUP", "SIGTTIN", "SIGTTOU"] as const) process.on(signal, () => {});
  process.on("SIGINT", () => drain("shutdown"));
  process.on("SIGTERM", () => drain("shutdown"));
  process.on("disconnect", () => (drained ? process.exit(0) : drain("shutdown")));
  process.on("message", (message) => {
    if (!isOurMessage<SupervisorMessage>(message)) return;
    if (message.anyserver === "drain") drain(message.reason);
    // Sent last, so our answers to the supervisor's hand-offs before it are flushed when we exit.
    else if (message.anyserver === "exit") send({ anyserver: "exiting" }, () => process.exit(0));
  });

  const limit = drawRequestLimit(supervision.maxRequests, supervision.maxRequestsJitter);
  const wrap = (app: App): App => {
    const counted = limit
      ? countRequests(app, limit, (served) => send({ anyserver: "max-requests", served }))
      : app;
    // Outermost, so load-balancer probes are not counted towards --max-requests.
    return health ? withHealth(counted, health, () => stopping) : counted;
  };
  try {
    server = await start(wrap);
  } catch (error) {
    send({ anyserver: "boot-failed", error: bootError(error) }, () => process.exit(1));
    return;
  }
  send({ anyserver: "ready", url: server.url.href, adapter: server.adapter });
  const beat = () => send({ anyserver: "heartbeat", rss: process.memoryUsage.rss() });
  setInterval(beat, heartbeatInterval(supervision.timeout));
}

/**
 * The port to bind when this process is one of our workers (a cluster worker alone is not: PM2
 * runs apps as cluster workers too). Taken out of the environment so the app's children are not workers.
 */
export function takeWorkerPort(): number | undefined {
  const port = process.env[WORKER_PORT_ENV];
  if (!cluster.isWorker || port === undefined) return undefined;
  delete process.env[WORKER_PORT_ENV];
  return Number(port);
}

/** Worker lines name the worker, so a fleet's stderr can be read. */
export function workerLogger(logger: Logger): Logger {
  const prefix = `worker ${process.pid}: `;
  return {
    info: (message) => logger.info(prefix + message),
    warn: (message) => logger.warn(prefix + message),
    error: (message) => logger.error(prefix + message),
  };
}

function send(message: WorkerMessage, sent?: () => void): void {
  if (!process.connected) return void sent?.();
  process.send!(message, undefined, {}, () => sent?.());
}

/** A user mistake's own message (from any copy of core), or the error's first line. */
function bootError(error: unknown): string {
  if (error instanceof Error && error.name === "AnyserverError") return error.message;
  return errorLine(error);
}
