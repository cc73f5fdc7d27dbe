// The WebSocket benchmark app: every message is sent back as it came (text as text, binary as binary).
export const wsApp = {
  fetch: () => new Response("WebSocket echo: connect with ws://"),
  websocket: {
    message(peer, message) {
      peer.send(message.rawData);
    },
  },
};
