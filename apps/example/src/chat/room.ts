import type { WebSocketHooks, WebSocketPeer } from "@anyserver/core";

/** Where the chat page connects. */
export const CHAT_SOCKET_PATH = "/chat/ws";
/** Longest message, in characters. */
export const MAX_CHAT_TEXT = 500;
const TOPIC = "chat";
const NAME = /^[\p{L}\p{N} _-]{1,24}$/u;

/** What the server sends: JSON, one event per WebSocket message. */
export type ChatEvent =
  | { type: "welcome"; name: string }
  | { type: "joined" | "left"; name: string }
  | { type: "message"; name: string; text: string }
  | { type: "error"; error: string };

const send = (peer: WebSocketPeer, event: ChatEvent) => peer.send(JSON.stringify(event));
const publish = (peer: WebSocketPeer, event: ChatEvent) => peer.publish(TOPIC, JSON.stringify(event));

/**
 * One chat room on WebSockets: `?name=` says who joins, every message goes to everyone
 * (the sender too, so each page shows what the server accepted), on every worker of `-w N`.
 */
export function chatRoom(): WebSocketHooks {
  return {
    upgrade(request) {
      const url = new URL(request.url);
      if (url.pathname !== CHAT_SOCKET_PATH) return new Response("Not Found", { status: 404 });
      const name = url.searchParams.get("name")?.trim() ?? "";
      if (!NAME.test(name)) {
        return new Response("Choose a name of 1 to 24 letters, digits, spaces, - or _.", { status: 400 });
      }
      return { context: { name } };
    },
    open(peer) {
      const name = peer.context.name as string;
      peer.subscribe(TOPIC);
      send(peer, { type: "welcome", name });
      publish(peer, { type: "joined", name });
    },
    message(peer, message) {
      const text = message.binary ? "" : message.text().trim();
      if (!text || text.length > MAX_CHAT_TEXT) {
        send(peer, { type: "error", error: `Send text of 1 to ${MAX_CHAT_TEXT} characters.` });
        return;
      }
      const event: ChatEvent = { type: "message", name: peer.context.name as string, text };
      send(peer, event);
      publish(peer, event);
    },
    close(peer) {
      publish(peer, { type: "left", name: peer.context.name as string });
    },
  };
}
