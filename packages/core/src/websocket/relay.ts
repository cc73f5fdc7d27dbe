import cluster from "node:cluster";

/**
 * `peer.publish` across the workers of `anyserver serve -w N`: a worker sends what it
 * published to the supervisor over the cluster IPC channel, and the supervisor passes it
 * to every other worker, whose servers deliver it to their own subscribers.
 */
interface PublishMessage {
  anyserver: "ws-publish";
  topic: string;
  /** A text message as is; a binary one in base64 (the IPC channel carries JSON). */
  text?: string;
  base64?: string;
}

type Deliver = (topic: string, payload: string | Uint8Array) => void;

const servers = new Set<Deliver>();
let inFleet = false;

/** A server of this process takes messages published on the other workers; returns how to leave. */
export function joinRelay(deliver: Deliver): () => void {
  servers.add(deliver);
  return () => servers.delete(deliver);
}

/** Pass a message published here on to the other workers (a no-op outside a supervised fleet). */
export function relayPublish(topic: string, payload: string | Uint8Array): void {
  if (!inFleet || !process.connected) return;
  const message: PublishMessage =
    typeof payload === "string"
      ? { anyserver: "ws-publish", topic, text: payload }
      : { anyserver: "ws-publish", topic, base64: Buffer.from(payload).toString("base64") };
  process.send!(message, undefined, {}, () => {});
}

/** In a worker of the fleet: send publishes to the supervisor and deliver those it passes on. */
export function startWorkerRelay(): void {
  if (inFleet) return;
  inFleet = true;
  process.on("message", (message) => {
    if (!isPublish(message)) return;
    const payload = message.text ?? new Uint8Array(Buffer.from(message.base64 ?? "", "base64"));
    for (const deliver of servers) deliver(message.topic, payload);
  });
}

/** In the supervisor: pass every worker's publish to all the other workers. */
export function startSupervisorRelay(): void {
  cluster.on("message", (from, message) => {
    if (!isPublish(message)) return;
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker && worker !== from && worker.isConnected()) worker.send(message, undefined, () => {});
    }
  });
}

function isPublish(message: unknown): message is PublishMessage {
  return (
    typeof message === "object" &&
    message !== null &&
    (message as PublishMessage).anyserver === "ws-publish" &&
    typeof (message as PublishMessage).topic === "string"
  );
}
