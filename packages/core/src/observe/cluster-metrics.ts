import cluster, { type Worker } from "node:cluster";
import type { MetricObjectWithValues, MetricValue } from "prom-client";
import type { Metrics } from "./metrics.ts";

type Snapshot = MetricObjectWithValues<MetricValue<string>>[];

/** Metrics traffic between workers and the supervisor; its own tag, so other IPC passes untouched. */
type HubMessage =
  | { anyserverMetrics: "hello" }
  | { anyserverMetrics: "request"; id: number }
  | { anyserverMetrics: "sum"; id: number; text?: string; error?: string }
  | { anyserverMetrics: "collect"; id: number }
  | { anyserverMetrics: "snapshot"; id: number; metrics: Snapshot }
  | { anyserverMetrics: "final"; metrics: Snapshot };

/** How long the supervisor waits for one worker's numbers, and a worker for the sum. */
const WORKER_REPLY_MS = 2000;
const SUM_REPLY_MS = 5000;

/** Kinds of metric that only grow, so a retired worker's numbers stay in the sum. */
const LASTING = new Set(["counter", "histogram"]);

function isHubMessage(message: unknown): message is HubMessage {
  return typeof message === "object" && message !== null && "anyserverMetrics" in message;
}

/**
 * In a worker of `-w N`: answer the supervisor's requests for this worker's metrics, and let
 * `/metrics` serve the sum over all workers. `leave()` hands over the final numbers at shutdown,
 * so the totals never go down when a worker is replaced.
 */
export function joinMetricsHub(metrics: Metrics): { collect(): Promise<string>; leave(): Promise<void> } {
  const waiting = new Map<number, { resolve(text: string): void; reject(error: Error): void }>();
  let nextId = 0;
  process.on("message", (message) => {
    if (!isHubMessage(message)) return;
    if (message.anyserverMetrics === "collect") {
      const { id } = message;
      metrics.snapshot().then((snapshot) => send({ anyserverMetrics: "snapshot", id, metrics: snapshot }));
    } else if (message.anyserverMetrics === "sum") {
      const pending = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.text !== undefined) pending?.resolve(message.text);
      else pending?.reject(new Error(message.error ?? "no metrics from the supervisor"));
    }
  });
  send({ anyserverMetrics: "hello" });
  return {
    collect() {
      const id = nextId++;
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`the supervisor did not answer within ${SUM_REPLY_MS} ms`));
        }, SUM_REPLY_MS);
        waiting.set(id, {
          resolve(text) {
            clearTimeout(timer);
            resolve(text);
          },
          reject(error) {
            clearTimeout(timer);
            reject(error);
          },
        });
        send({ anyserverMetrics: "request", id });
      });
    },
    async leave() {
      const snapshot = await metrics.snapshot();
      await new Promise<void>((resolve) => send({ anyserverMetrics: "final", metrics: snapshot }, resolve));
    },
  };
}

function send(message: HubMessage, sent?: () => void): void {
  if (!process.connected) return void sent?.();
  process.send!(message, undefined, {}, () => sent?.());
}

/**
 * In the supervisor: add up the workers' metrics when one of them serves `/metrics`. Counters
 * and histograms of workers that exited are kept (their last numbers), gauges are not.
 */
export async function startMetricsHub(): Promise<void> {
  const { AggregatorRegistry } = await import("prom-client");
  const members = new Map<number, { worker: Worker; last?: Snapshot; gone?: boolean }>();
  let retired: Snapshot = [];
  // Folding in a retired worker reads and replaces `retired`: one at a time.
  let folding = Promise.resolve();
  const replies = new Map<string, (snapshot: Snapshot | undefined) => void>();
  let nextId = 0;

  const retire = (snapshot: Snapshot | undefined) => {
    const lasting = (snapshot ?? []).filter((metric) => LASTING.has(String(metric.type)));
    if (lasting.length === 0) return;
    folding = folding.then(async () => {
      retired = (await AggregatorRegistry.aggregate([retired, lasting]).getMetricsAsJSON()) as Snapshot;
    });
  };
  const ask = (id: number, member: { worker: Worker; last?: Snapshot }) =>
    new Promise<Snapshot | undefined>((resolve) => {
      const key = `${member.worker.id}:${id}`;
      const timer = setTimeout(() => finish(member.last), WORKER_REPLY_MS);
      const finish = (snapshot: Snapshot | undefined) => {
        clearTimeout(timer);
        replies.delete(key);
        resolve(snapshot);
      };
      replies.set(key, (snapshot) => {
        member.last = snapshot;
        finish(snapshot);
      });
      member.worker.send(
        { anyserverMetrics: "collect", id } satisfies HubMessage,
        undefined,
        (error) => error && finish(member.last),
      );
    });
  const sum = async (): Promise<string> => {
    const id = nextId++;
    const live = [...members.values()].filter((member) => !member.gone && member.worker.isConnected());
    const snapshots = await Promise.all(live.map((member) => ask(id, member)));
    await folding;
    return AggregatorRegistry.aggregate([
      retired,
      ...snapshots.filter((each) => each !== undefined),
    ]).metrics();
  };

  cluster.on("message", (worker, message) => {
    if (!isHubMessage(message)) return;
    if (message.anyserverMetrics === "hello") members.set(worker.id, { worker });
    else if (message.anyserverMetrics === "snapshot")
      replies.get(`${worker.id}:${message.id}`)?.(message.metrics);
    else if (message.anyserverMetrics === "final") {
      const member = members.get(worker.id);
      if (member && !member.gone) {
        member.gone = true;
        retire(message.metrics);
      }
    } else if (message.anyserverMetrics === "request") {
      const { id } = message;
      sum().then(
        (text) =>
          worker.send({ anyserverMetrics: "sum", id, text } satisfies HubMessage, undefined, () => {}),
        (error: Error) =>
          worker.send(
            { anyserverMetrics: "sum", id, error: error.message } satisfies HubMessage,
            undefined,
            () => {},
          ),
      );
    }
  });
  // A worker that died without its final numbers: keep the last ones it gave.
  cluster.on("exit", (worker) => {
    const member = members.get(worker.id);
    members.delete(worker.id);
    if (member && !member.gone) retire(member.last);
  });
}
