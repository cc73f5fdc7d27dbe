import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { consoleToStderr } from "../cgi/console.ts";
import { AnyserverError } from "../errors.ts";
import { assertHttp2Support } from "../http2-support.ts";
import { resolveAdapter } from "../resolve-adapter.ts";
import { createServerLogger } from "../server-logger.ts";
import { withHealth } from "../supervisor/health.ts";
import { supervise } from "../supervisor/supervise.ts";
import { runWorker, takeWorkerPort, workerLogger } from "../supervisor/worker.ts";
import type { Adapter, App, Logger, RunningServer, ServeOptions } from "../types.ts";
import { type ParsedArgs, parseDuration, parsePort, parseSize } from "./args.ts";
import { findEntry, loadApp } from "./load-entry.ts";
import { assertObservable, observeApp, superviseObserving } from "./observe-app.ts";
import { type ObserveFlags, observeFlagsFrom } from "./observe-flags.ts";
import { serveOnce } from "./serve-once.ts";
import { healthPathFrom, supervisionFrom } from "./supervisor-options.ts";
import { isWatchedServer, serveWatching } from "./watch.ts";

/**
 * `anyserver serve`: resolve the server, load the app, listen, and close gracefully on SIGINT/SIGTERM;
 * with -w, supervise worker processes that each do the same.
 */
export async function serveCommand({ values, positionals }: ParsedArgs, cwd: string): Promise<void> {
  if (positionals.length > 1) {
    throw new AnyserverError(
      `serve takes one entry file, got ${positionals.length}: ${positionals.join(" ")}.`,
    );
  }
  if (values.watch && !isWatchedServer()) process.exit(await serveWatching(process.argv.slice(2)));
  const workerPort = takeWorkerPort();
  const flags = observeFlagsFrom(values, cwd);
  const serverLogger = await createServerLogger(flags.serverLog);
  const logger = workerPort === undefined ? serverLogger : workerLogger(serverLogger);
  const options = serveOptionsFrom(values, cwd);
  const supervision = supervisionFrom(values, process.env, cwd, options.gracefulTimeout ?? 30_000);
  const health = healthPathFrom(values);
  if (workerPort !== undefined && supervision) {
    // Everything that can fail runs inside start(), so the supervisor learns why a worker could not boot.
    return runWorker({
      supervision,
      health,
      start: async (wrap) => {
        const adapter = await resolveAdapter(values.server ?? "node", { cwd });
        const app = await loadApp(findEntry(positionals[0], cwd), cwd);
        return listen(adapter, wrap(app), { ...options, port: workerPort }, logger, flags);
      },
    });
  }
  const entry = findEntry(positionals[0], cwd);
  const adapter = await resolveAdapter(values.server ?? "node", { cwd });
  assertHttp2Support(adapter, options);
  if (supervision) {
    await superviseObserving(flags, logger);
    return supervise({ adapter, ...options, supervision, logger });
  }
  let stopping = false;
  // stdout carries a one-shot server's response: what loading the app prints goes to stderr.
  if (adapter.oneShot) consoleToStderr();
  const loaded = await loadApp(entry, cwd);
  if (adapter.oneShot) return serveOnce(adapter, assertObservable(adapter, flags, loaded), options, logger);
  const app = health ? withHealth(loaded, health, () => stopping) : loaded;
  const scheme = options.tls ? "https" : "http";
  const where = options.socket ? `unix:${options.socket}` : `${scheme}://${options.host}:${options.port}`;
  logger.info(`starting ${adapter.name} on ${where}`);
  const server = await listen(adapter, app, options, logger, flags);
  logger.info(`ready on ${server.url.href} (pid ${process.pid})`);

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    logger.info(`${signal}: finishing in-flight requests, then exiting`);
    server.close().then(
      () => process.exit(0),
      (error) => {
        logger.error(`closing failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

/** Start this process's server: the one place a lone server or a worker listens (observed as the flags ask). */
async function listen(
  adapter: Adapter<any>,
  app: App,
  options: ServeOptions,
  logger: Logger,
  flags: ObserveFlags,
): Promise<RunningServer> {
  const observing = await observeApp(app, flags, { adapter, trustProxy: options.trustProxy, logger });
  const server = observing.attach(await adapter.serve(observing.app, { ...options, logger }));
  if (options.socket && server.url.protocol !== "unix:") {
    await server.close();
    throw new AnyserverError(
      `Server "${adapter.name}" cannot listen on a unix socket. Drop --socket and use -i and -p.`,
    );
  }
  return server;
}

function serveOptionsFrom(
  values: ParsedArgs["values"],
  cwd: string,
): ServeOptions & { host: string; port: number } {
  const host = values.ip ?? values.host ?? "127.0.0.1";
  const port =
    values.port !== undefined
      ? parsePort(values.port, "-p")
      : process.env.PORT
        ? parsePort(process.env.PORT, "$PORT")
        : 8000;
  const options: ServeOptions & { host: string; port: number } = {
    host,
    port,
    trustProxy: values["trust-proxy"],
  };
  if (values.socket) options.socket = resolve(cwd, values.socket);
  if (values["graceful-timeout"])
    options.gracefulTimeout = parseDuration(values["graceful-timeout"], "--graceful-timeout");
  // A restart on a change should not wait 30 s for an open stream (SSE, a download).
  else if (values.watch) options.gracefulTimeout = 1000;
  if (values["body-limit"]) options.bodyLimit = parseSize(values["body-limit"], "--body-limit");
  if (values["tls-cert"] || values["tls-key"]) {
    if (!values["tls-cert"] || !values["tls-key"]) {
      throw new AnyserverError("HTTPS needs both --tls-cert FILE and --tls-key FILE.");
    }
    options.tls = { cert: readPem(values["tls-cert"], cwd), key: readPem(values["tls-key"], cwd) };
  }
  if (values.http2) options.http2 = true;
  return options;
}

function readPem(file: string, cwd: string): string {
  try {
    return readFileSync(resolve(cwd, file), "utf8");
  } catch {
    throw new AnyserverError(
      `Cannot read TLS file "${file}". Check the path given to --tls-cert / --tls-key.`,
    );
  }
}
