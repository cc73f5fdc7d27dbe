import type { Logger } from "../types.ts";
import { restartDelay } from "./backoff.ts";
import { Fleet, type Worker } from "./fleet.ts";
import type { WorkerMessage } from "./messages.ts";
import type { SupervisorOptions } from "./options.ts";
import { SerialQueue } from "./serial-queue.ts";
import { startWatchdog } from "./watchdog.ts";
import { describeExit } from "./worker-process.ts";

export interface SupervisorInit {
  /** The port every worker binds (never 0: chosen before the first fork). */
  port: number;
  supervision: SupervisorOptions;
  logger: Logger;
  /** Workers keep failing at boot and none serves. */
  onCrashLoop(message: string): void;
}

/**
 * The primary process's job: keep the fleet serving through reloads, recycling, hung
 * workers and scaling, replacing workers fork-first and one at a time, and drain it on shutdown.
 */
export class Supervisor {
  readonly #fleet: Fleet;
  readonly #options: SupervisorOptions;
  readonly #logger: Logger;
  /** Reloads and replacements run one at a time. */
  readonly #queue = new SerialQueue();
  readonly #stopWatchdog: () => void;
  #reloadQueued = false;

  constructor({ port, supervision, logger, onCrashLoop }: SupervisorInit) {
    this.#options = supervision;
    this.#logger = logger;
    this.#fleet = new Fleet({
      port,
      supervision,
      logger,
      onCrashLoop,
      onMessage: (worker, message) => this.#onMessage(worker, message),
    });
    this.#stopWatchdog = startWatchdog(() => this.#fleet.live, supervision.timeout, {
      hung: (worker, silentMs) => {
        logger.error(
          `worker ${worker.pid} has not answered for ${seconds(silentMs)} (--timeout ${seconds(supervision.timeout)}): killing it and starting a replacement`,
        );
        worker.kill("SIGKILL", "hung");
      },
      slowBoot: (worker, deadline) => {
        worker.bootError = `it was not ready within ${seconds(deadline)} (--timeout)`;
        worker.kill("SIGKILL", "slow boot");
      },
    });
  }

  /** Fork the workers; resolves when all are ready (a crash loop calls `onCrashLoop` instead). */
  start(): Promise<void> {
    return this.#fleet.start(this.#options.workers);
  }

  /** The URL the workers serve, their adapter and their pids. */
  summary(): { url: string; adapter: string; pids: string } {
    const first = this.#fleet.slots.find((slot) => slot.current?.url)?.current;
    return { url: first?.url ?? "", adapter: first?.adapter ?? "", pids: this.#fleet.pids() };
  }

  /** Start a new worker per slot, and once all are ready drain the old ones one at a time. */
  reload(trigger: string): void {
    if (this.#fleet.stopping || this.#reloadQueued) return;
    this.#reloadQueued = true;
    this.#queue.push(async () => {
      this.#reloadQueued = false;
      await this.#reload(trigger);
    });
  }

  addWorker(trigger: string): void {
    if (this.#fleet.stopping) return;
    const slot = this.#fleet.addSlot();
    this.#logger.info(`${trigger}: adding worker ${slot.current!.pid} (${count(this.#fleet.slots.length)})`);
  }

  removeWorker(trigger: string): void {
    if (this.#fleet.stopping) return;
    if (this.#fleet.slots.length <= 1) {
      this.#logger.info(`${trigger}: keeping the last worker`);
      return;
    }
    const worker = this.#fleet.removeSlot();
    this.#logger.info(
      `${trigger}: draining worker ${worker?.pid ?? "-"} (${count(this.#fleet.slots.length)})`,
    );
  }

  /** Drain every worker; resolves when all have exited. */
  async shutdown(): Promise<void> {
    this.#fleet.stopping = true;
    this.#stopWatchdog();
    for (const slot of this.#fleet.slots) clearTimeout(slot.respawn);
    await Promise.all([...this.#fleet.live].map((worker) => this.#fleet.retire(worker, "shutdown")));
  }

  /** Kill every worker at once. */
  kill(): void {
    this.#fleet.stopping = true;
    for (const worker of this.#fleet.live) worker.kill("SIGKILL");
  }

  #onMessage(worker: Worker, message: WorkerMessage): void {
    const { maxMemory, maxRequests, maxRequestsJitter } = this.#options;
    if (
      message.anyserver === "heartbeat" &&
      maxMemory &&
      worker.rss > maxMemory &&
      worker.state === "ready"
    ) {
      this.#replace(worker, `uses ${megabytes(worker.rss)} of memory (--max-memory ${megabytes(maxMemory)})`);
    } else if (message.anyserver === "max-requests") {
      const jitter = maxRequestsJitter ? ` + jitter ${maxRequestsJitter}` : "";
      this.#replace(worker, `served ${message.served} requests (--max-requests ${maxRequests}${jitter})`);
    }
  }

  /** Fork-first replacement of one worker, queued behind any other replacement. */
  #replace(worker: Worker, why: string): void {
    if (worker.replacing || this.#fleet.stopping) return;
    worker.replacing = true;
    this.#queue.push(async () => {
      const slot = worker.slot;
      if (this.#fleet.stopping || slot.current !== worker) return;
      this.#logger.info(`worker ${worker.pid} ${why}: replacing it`);
      const fresh = this.#fleet.fork(slot);
      slot.next = fresh;
      const ready = await fresh.ready;
      if (slot.next === fresh) slot.next = undefined;
      // Shutdown or SIGTTOU drained the fresh worker already.
      if (this.#fleet.stopping || slot.removed) return;
      if (!ready || !fresh.alive) {
        const delay = restartDelay(++slot.failures);
        this.#logger.error(
          `worker ${fresh.pid} failed to boot: ${await bootFailure(fresh)}; worker ${worker.pid} keeps serving, retrying in ${delay} ms`,
        );
        setTimeout(() => {
          worker.replacing = false;
          this.#replace(worker, why);
        }, delay).unref();
        return;
      }
      const old = this.#fleet.promote(fresh);
      this.#logger.info(`worker ${fresh.pid} took over from worker ${worker.pid}`);
      if (old) await this.#fleet.retire(old);
    });
  }

  async #reload(trigger: string): Promise<void> {
    if (this.#fleet.stopping) return;
    const slots = [...this.#fleet.slots];
    this.#logger.info(
      `${trigger}: reloading ${count(slots.length)}: new ones first, then the old ones drain`,
    );
    const fresh = slots.map((slot) => {
      slot.next = this.#fleet.fork(slot);
      return slot.next;
    });
    const ready = await Promise.all(fresh.map((worker) => worker.ready));
    slots.forEach((slot, i) => {
      if (slot.next === fresh[i]) slot.next = undefined;
    });
    if (this.#fleet.stopping) return;
    const failed = fresh.find((worker, i) => !ready[i] || !worker.alive);
    if (failed) {
      this.#logger.error(
        `reload failed, the old workers keep serving: new worker ${failed.pid} failed to boot: ${await bootFailure(failed)}`,
      );
      for (const worker of fresh) if (worker.alive) this.#fleet.retire(worker);
      return;
    }
    const old = slots.flatMap((slot, i) => (slot.removed ? [] : [this.#fleet.promote(fresh[i])]));
    for (const worker of old) if (worker) await this.#fleet.retire(worker);
    this.#logger.info(`reloaded: workers ${this.#fleet.pids()}`);
  }
}

async function bootFailure(worker: Worker): Promise<string> {
  return worker.bootError ?? `it ${describeExit(await worker.exited)} before it was ready`;
}

function count(workers: number): string {
  return workers === 1 ? "1 worker" : `${workers} workers`;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))}s`;
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}
