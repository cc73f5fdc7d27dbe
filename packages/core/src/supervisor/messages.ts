/** What a worker tells its supervisor over the cluster IPC channel. */
export type WorkerMessage =
  | { anyserver: "ready"; url: string; adapter: string }
  | { anyserver: "boot-failed"; error: string }
  | { anyserver: "heartbeat"; rss: number }
  | { anyserver: "max-requests"; served: number };

/** Why the supervisor asks a worker to drain: its health endpoint answers 503 only when the fleet stops. */
export type DrainReason = "shutdown" | "replace";

/** What the supervisor tells a worker. */
export type SupervisorMessage = { anyserver: "drain"; reason: DrainReason };

/** Our messages carry an `anyserver` tag, so an app's own IPC traffic passes untouched. */
export function isOurMessage<T extends { anyserver: string }>(message: unknown): message is T {
  return typeof message === "object" && message !== null && typeof (message as T).anyserver === "string";
}

/** The env variable that marks a process as one of our workers and carries the port to bind. */
export const WORKER_PORT_ENV = "ANYSERVER_WORKER_PORT";
