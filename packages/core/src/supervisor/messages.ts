/** What a worker tells its supervisor over the cluster IPC channel. */
export type WorkerMessage =
  | { anyserver: "ready"; url: string; adapter: string }
  | { anyserver: "boot-failed"; error: string }
  | { anyserver: "heartbeat"; rss: number }
  | { anyserver: "max-requests"; served: number }
  /** Drain done and the listener closed: the worker waits for "exit" before it ends. */
  | { anyserver: "drained" }
  | { anyserver: "exiting" };

/** Why the supervisor asks a worker to drain: its health endpoint answers 503 only when the fleet stops. */
export type DrainReason = "shutdown" | "replace";

/**
 * What the supervisor tells a worker. "exit" answers "drained": node:cluster may have handed the
 * worker a connection before it saw the listener close, and a worker that exits before reading
 * that hand-off leaves the connection open in the supervisor, unanswered, forever. Once "exit"
 * arrives every such hand-off has been read (and sent back to be served by another worker).
 */
export type SupervisorMessage = { anyserver: "drain"; reason: DrainReason } | { anyserver: "exit" };

/** Our messages carry an `anyserver` tag, so an app's own IPC traffic passes untouched. */
export function isOurMessage<T extends { anyserver: string }>(message: unknown): message is T {
  return typeof message === "object" && message !== null && typeof (message as T).anyserver === "string";
}

/** The env variable that marks a process as one of our workers and carries the port to bind. */
export const WORKER_PORT_ENV = "ANYSERVER_WORKER_PORT";
