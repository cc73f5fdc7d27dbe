import { AnyserverError } from "../errors.ts";
import type { Adapter, Logger } from "../types.ts";
import { startSupervisorRelay } from "../websocket/relay.ts";
import type { SupervisorOptions } from "./options.ts";
import { writePidFile } from "./pid-file.ts";
import { reservePort } from "./port.ts";
import { reusePortWarning } from "./reuse-port.ts";
import { Supervisor } from "./supervisor.ts";

export interface SuperviseOptions {
  /** The adapter, resolved in the supervisor only to read how it shares a port. */
  adapter: Adapter<any>;
  host: string;
  port: number;
  /** A unix socket the workers share instead of host and port. */
  socket?: string;
  supervision: SupervisorOptions;
  logger: Logger;
}

/**
 * `anyserver serve -w N` in the supervisor process: fork the workers (which load the app
 * themselves, so a reload picks up new code), print one summary line, and act on signals.
 */
export async function supervise({
  adapter,
  host,
  port,
  socket,
  supervision,
  logger,
}: SuperviseOptions): Promise<void> {
  assertCanRunWorkers(adapter, supervision.workers);
  const warning = adapter.reusePort ? reusePortWarning(adapter.name) : undefined;
  if (warning) logger.warn(warning);
  const bound = socket ? port : await reservePort(host, port);
  if (supervision.pidFile) writePidFile(supervision.pidFile);
  const supervisor: Supervisor = new Supervisor({
    port: bound,
    supervision,
    logger,
    onCrashLoop(message) {
      supervisor.kill();
      logger.error(message);
      process.exit(1);
    },
  });
  handleSignals(supervisor, logger);
  startSupervisorRelay();
  await supervisor.start();
  const { url, adapter: name, pids } = supervisor.summary();
  const workers = `${supervision.workers} ${name} worker${supervision.workers === 1 ? "" : "s"}`;
  logger.info(`ready on ${url} with ${workers} (pids ${pids}; supervisor pid ${process.pid})`);
}

function assertCanRunWorkers(adapter: Adapter<any>, workers: number): void {
  const reason = adapter.oneShot ? "it answers one request per process" : adapter.unsupported?.workers;
  if (reason)
    throw new AnyserverError(`Server "${adapter.name}" cannot run workers (-w): ${reason}. Drop -w.`);
  if (adapter.reusePort && workers > 1 && process.platform !== "linux") {
    throw new AnyserverError(
      `Server "${adapter.name}" shares its port between workers with SO_REUSEPORT, which spreads connections on Linux only. Use -w 1 on ${process.platform}, or a node:http-based server such as -s node.`,
    );
  }
}

/**
 * SIGTERM/SIGINT drain and exit 0 (a second one kills at once), SIGHUP reloads, SIGTTIN and
 * SIGTTOU add and remove a worker.
 */
function handleSignals(supervisor: Supervisor, logger: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: killing the workers and exiting without waiting`);
      supervisor.kill();
      process.exit(1);
    }
    stopping = true;
    logger.info(`${signal}: finishing in-flight requests, then exiting`);
    supervisor.shutdown().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("SIGHUP", () => supervisor.reload("SIGHUP"));
  process.on("SIGTTIN", () => supervisor.addWorker("SIGTTIN"));
  process.on("SIGTTOU", () => supervisor.removeWorker("SIGTTOU"));
}
