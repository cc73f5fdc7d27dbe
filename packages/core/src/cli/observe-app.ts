import cluster from "node:cluster";
import { AnyserverError } from "../errors.ts";
import { joinMetricsHub, startMetricsHub } from "../observe/cluster-metrics.ts";
import { observe } from "../observe/observe.ts";
import type { Adapter, App, Logger, RunningServer } from "../types.ts";
import type { ObserveFlags } from "./observe-flags.ts";

/** The supervisor's word to every worker after SIGUSR1 (a signal could reach a worker still booting). */
const REOPEN = { anyserverLog: "reopen" } as const;

export interface Observing {
  /** The app to serve: the original one when no flag asked to observe it. */
  app: App;
  /** The server, whose `close()` now also flushes the access log, saves the profile and hands over metrics. */
  attach(server: RunningServer): RunningServer;
}

/**
 * In the process that serves (alone, or as a worker of `-w N`): wrap the app as `-l`, `--metrics`
 * and `-P` ask, reopen the access log on SIGUSR1, and in a worker serve the metrics of all workers.
 */
export async function observeApp(
  app: App,
  flags: ObserveFlags,
  context: { adapter: Adapter<any>; trustProxy?: boolean; logger: Logger },
): Promise<Observing> {
  if (!flags.observe) return { app, attach: (server) => server };
  const { logger } = context;
  const inWorker = cluster.isWorker;
  let hub: ReturnType<typeof joinMetricsHub> | undefined;
  const metrics = flags.observe.metrics;
  const observed = await observe(app, {
    ...flags.observe,
    metrics: metrics && { ...metrics, collect: inWorker ? () => hub!.collect() : undefined },
    server: context.adapter.name,
    trustProxy: context.trustProxy,
    logger,
  });
  if (inWorker && observed.metrics) hub = joinMetricsHub(observed.metrics);
  if (flags.logFile) {
    const reopen = () => {
      observed.reopenLog();
      logger.info(`reopened the access log ${flags.logFile}`);
    };
    process.on("SIGUSR1", reopen);
    if (inWorker) process.on("message", (message) => isReopen(message) && reopen());
  }
  return {
    app: observed.app,
    attach(server) {
      const close = server.close.bind(server);
      server.close = (options) =>
        close(options).finally(async () => {
          await hub?.leave();
          await observed.close();
        });
      return server;
    },
  };
}

/**
 * In the supervisor of `-w N`: add up the workers' metrics for `/metrics`, and pass SIGUSR1 on
 * to every worker so each reopens the shared access log.
 */
export async function superviseObserving(flags: ObserveFlags, logger: Logger): Promise<void> {
  if (flags.observe?.metrics) await startMetricsHub();
  if (flags.logFile) {
    process.on("SIGUSR1", () => {
      logger.info(`SIGUSR1: reopening the access log ${flags.logFile} in every worker`);
      for (const worker of Object.values(cluster.workers ?? {}))
        if (worker?.isConnected()) worker.send(REOPEN, undefined, () => {});
    });
  }
}

function isReopen(message: unknown): boolean {
  return (
    typeof message === "object" && message !== null && (message as typeof REOPEN).anyserverLog === "reopen"
  );
}

/** One request per process (CGI): the web server in front logs and measures; stdout is the response. */
export function assertObservable(adapter: Adapter<any>, flags: ObserveFlags, app: App): App {
  if (flags.observe) {
    throw new AnyserverError(
      `Server "${adapter.name}" answers one request per process: the web server in front of it logs and measures requests. Drop -l, --metrics and -P.`,
    );
  }
  return app;
}
