import cluster from "node:cluster";
import type { Logger } from "../types.ts";
import { CRASH_LOOP_LIMIT, restartDelay, STABLE_AFTER_MS } from "./backoff.ts";
import { type DrainReason, WORKER_PORT_ENV, type WorkerMessage } from "./messages.ts";
import type { SupervisorOptions } from "./options.ts";
import { describeExit, type WorkerExit, WorkerProcess } from "./worker-process.ts";

/** A place for one worker: the worker filling it, and the one about to take over. */
export interface Slot {
  current?: WorkerProcess<Slot>;
  next?: WorkerProcess<Slot>;
  /** Workers of this slot that failed in a row (boot failures and crashes): sets the restart delay. */
  failures: number;
  /** The last boot error, so a repeated one is not printed again. */
  lastError?: string;
  respawn?: NodeJS.Timeout;
  removed: boolean;
}

export type Worker = WorkerProcess<Slot>;

export interface FleetOptions {
  port: number;
  supervision: SupervisorOptions;
  logger: Logger;
  /** Messages from ready workers (heartbeats, --max-requests). */
  onMessage(worker: Worker, message: WorkerMessage): void;
  /** Workers keep failing at boot and none serves: the supervisor must give up. */
  onCrashLoop(message: string): void;
}

/**
 * The worker processes: forks them into slots, keeps every slot filled (restarting crashed
 * workers with exponential backoff), and spots a crash loop.
 */
export class Fleet {
  readonly slots: Slot[] = [];
  readonly live = new Set<Worker>();
  stopping = false;
  readonly #options: FleetOptions;
  /** Boot failures in a row, any slot: a crash loop once it reaches the limit with no worker serving. */
  #bootFailures = 0;
  #allReady?: () => void;

  constructor(options: FleetOptions) {
    this.#options = options;
  }

  /** Fork `count` workers; resolves once each slot has had a ready worker. */
  start(count: number): Promise<void> {
    for (let i = 0; i < count; i++) this.addSlot();
    return new Promise((resolve) => {
      this.#allReady = resolve;
    });
  }

  addSlot(): Slot {
    const slot: Slot = { failures: 0, removed: false };
    this.slots.push(slot);
    slot.current = this.fork(slot);
    return slot;
  }

  /** Take the last slot away; its worker drains. */
  removeSlot(): Worker | undefined {
    const slot = this.slots.pop()!;
    slot.removed = true;
    clearTimeout(slot.respawn);
    if (slot.next) this.retire(slot.next);
    if (slot.current) this.retire(slot.current);
    return slot.current;
  }

  fork(slot: Slot): Worker {
    const env = { [WORKER_PORT_ENV]: String(this.#options.port) };
    const worker = new WorkerProcess(cluster.fork(env), slot, (self, message) =>
      this.#options.onMessage(self, message),
    );
    this.live.add(worker);
    worker.ready.then((ready) => ready && this.#onReady(worker));
    worker.exited.then((exit) => this.#onExit(worker, exit));
    return worker;
  }

  /** Let `worker` finish its requests and exit. */
  retire(worker: Worker, reason: DrainReason = "replace"): Promise<WorkerExit> {
    return worker.drain(reason, this.#options.supervision.gracefulTimeout);
  }

  /** Put a ready `worker` in its slot's place; returns the worker it replaces, for the caller to retire. */
  promote(worker: Worker): Worker | undefined {
    const slot = worker.slot;
    const old = slot.current;
    slot.current = worker;
    clearTimeout(slot.respawn);
    return old;
  }

  /** Some worker accepts requests. */
  serving(): boolean {
    for (const worker of this.live) if (worker.state === "ready") return true;
    return false;
  }

  pids(): string {
    return this.slots.map((slot) => slot.current?.pid ?? "-").join(", ");
  }

  #onReady(worker: Worker): void {
    this.#bootFailures = 0;
    worker.slot.lastError = undefined;
    if (this.#allReady && this.slots.every((each) => each.current?.state === "ready")) {
      this.#allReady();
      this.#allReady = undefined;
    }
  }

  #onExit(worker: Worker, exit: WorkerExit): void {
    this.live.delete(worker);
    const slot = worker.slot;
    // Drained workers, replacements that never took over, and workers of removed slots need nothing.
    if (this.stopping || slot.current !== worker) return;
    slot.current = undefined;
    if (slot.removed) return;
    if (worker.readyAt && Date.now() - worker.readyAt >= STABLE_AFTER_MS) slot.failures = 0;
    const delay = restartDelay(++slot.failures);
    const retry = delay ? ` in ${delay} ms` : "";
    if (!worker.readyAt) {
      const error = worker.bootError ?? `it ${describeExit(exit)} before it was ready`;
      if (++this.#bootFailures >= CRASH_LOOP_LIMIT && !this.serving()) {
        this.#options.onCrashLoop(
          `Workers failed to boot ${this.#bootFailures} times in a row, so anyserver stops. The error: ${error}`,
        );
        return;
      }
      const again = error === slot.lastError ? "failed to boot again" : `failed to boot: ${error}`;
      slot.lastError = error;
      this.#options.logger.error(`worker ${worker.pid} ${again}; retrying${retry}`);
    } else if (!worker.killedBecause) {
      this.#options.logger.warn(`worker ${worker.pid} ${describeExit(exit)}; starting a replacement${retry}`);
    }
    slot.respawn = setTimeout(() => {
      slot.respawn = undefined;
      if (!this.stopping && !slot.removed && !slot.current) slot.current = this.fork(slot);
    }, delay);
  }
}
