import type { Fanout } from "./hub.ts";
import type { Peer } from "./peer.ts";

/** Topic subscriptions kept in JavaScript, for servers without their own pub/sub (node:http's family). */
export class TopicMap implements Fanout {
  readonly #subscribers = new Map<string, Set<Peer>>();

  subscribe(peer: Peer, topic: string): void {
    let peers = this.#subscribers.get(topic);
    if (peers === undefined) {
      peers = new Set();
      this.#subscribers.set(topic, peers);
    }
    peers.add(peer);
  }

  unsubscribe(peer: Peer, topic: string): void {
    const peers = this.#subscribers.get(topic);
    if (peers?.delete(peer) && peers.size === 0) this.#subscribers.delete(topic);
  }

  publish(topic: string, payload: string | Uint8Array, from?: Peer): void {
    const peers = this.#subscribers.get(topic);
    if (peers === undefined) return;
    // send() skips subscribers whose buffer is full: one slow client does not hold the others back.
    for (const peer of peers) if (peer !== from) peer.send(payload);
  }

  forget(peer: Peer): void {
    for (const topic of peer.topics) this.unsubscribe(peer, topic);
  }
}
