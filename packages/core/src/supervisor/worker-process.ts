import type { Worker } from "node:cluster";
import { type DrainReason, isOurMessage, type SupervisorMessage, type WorkerMessage } from "./messages.ts";

/** How a worker process ended. */
export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Time a draining worker gets beyond the graceful timeout (it forces itself then) before it is killed. */
const DRAIN_KILL_MARGIN_MS = 2000;

/** How long after a worker's exit its last messages may still be on their way. */
const CHANNEL_CLOSE_WAIT_MS = 100;

/** The supervisor's view of one worker process, from fork to exit; `slot` is the place it fills. */
export class WorkerProcess<S = unknown> {
  readonly pid: number;
  readonly startedAt = Date.now();
  state: "booting" | "ready" | "draining" | "exited" = "booting";
  readyAt = 0;
  lastBeat = 0;
  /** Resident memory in bytes, from the last heartbeat. */
  rss = 0;
  url = "";
  adapter = "";
  /** Why it failed to boot, in one line. */
  bootError?: string;
  /** Set when the supervisor itself kills the worker, so its exit is not reported again. */
  killedBecause?: string;
  /** A replacement for it is queued or starting. */
  replacing = false;
  /** Resolves `true` once the server listens, `false` if the worker exits first. */
  readonly ready: Promise<boolean>;
  readonly exited: Promise<WorkerExit>;

  readonly #worker: Worker;

  constructor(
    worker: Worker,
    readonly slot: S,
    onMessage: (self: WorkerProcess<S>, message: WorkerMessage) => void,
  ) {
    this.#worker = worker;
    this.pid = worker.process.pid!;
    // A worker that died leaves a closed channel: sending to it must not crash the supervisor.
    worker.on("error", () => {});
    const closed = new Promise((resolve) => worker.once("disconnect", resolve));
    this.exited = new Promise<WorkerExit>((resolve) => {
      worker.once("exit", (code, signal) => {
        const result = { code, signal: signal as NodeJS.Signals | null };
        const booting = !this.readyAt;
        this.state = "exited";
        if (!booting) return resolve(result);
        // The exit can be seen before the boot error message is read: wait for the channel to close
        // too, but not for long, as node:cluster never closes it for a worker that died while being
        // handed a connection.
        const wait = new Promise((done) => setTimeout(done, CHANNEL_CLOSE_WAIT_MS));
        Promise.race([closed, wait]).then(() => resolve(result));
      });
    });
    this.ready = new Promise((resolve) => {
      worker.on("message", (message) => {
        if (!isOurMessage<WorkerMessage>(message)) return;
        if (message.anyserver === "ready" && this.state === "booting") {
          this.state = "ready";
          this.readyAt = this.lastBeat = Date.now();
          this.url = message.url;
          this.adapter = message.adapter;
          resolve(true);
        } else if (message.anyserver === "boot-failed") {
          this.bootError = message.error;
        } else if (message.anyserver === "drained") {
          this.#send({ anyserver: "exit" });
        } else if (message.anyserver === "heartbeat") {
          this.lastBeat = Date.now();
          this.rss = message.rss;
        }
        onMessage(this, message);
      });
      this.exited.then(() => resolve(false));
    });
  }

  get alive(): boolean {
    return this.state !== "exited";
  }

  /** Ask the worker to finish its requests and exit; kill it if it is still there well after `timeout`. */
  drain(reason: DrainReason, timeout: number): Promise<WorkerExit> {
    if (this.state === "exited") return this.exited;
    // A booting worker may not listen for messages yet; its SIGTERM handler (or the default) ends it.
    if (this.state === "booting" || !this.#worker.isConnected()) this.kill("SIGTERM");
    else this.#send({ anyserver: "drain", reason });
    this.state = "draining";
    const timer = setTimeout(() => this.kill("SIGKILL"), timeout + DRAIN_KILL_MARGIN_MS);
    return this.exited.finally(() => clearTimeout(timer));
  }

  #send(message: SupervisorMessage): void {
    if (this.#worker.isConnected()) this.#worker.send(message);
  }

  kill(signal: NodeJS.Signals = "SIGKILL", because?: string): void {
    if (this.state === "exited") return;
    this.killedBecause ??= because;
    this.#worker.process.kill(signal);
  }
}

/** "exited with code 1", "was killed by SIGKILL". */
export function describeExit({ code, signal }: WorkerExit): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}
