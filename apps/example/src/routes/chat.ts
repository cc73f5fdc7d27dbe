import { CHAT_SOCKET_PATH, MAX_CHAT_TEXT } from "../chat/room.ts";
import { escapeHtml, html } from "../lib/html.ts";
import type { RouteArgs } from "../lib/router.ts";
import type { ExampleState } from "../state.ts";

/** GET /chat: a live chat page on the app's WebSocket; `?name=` picks your name. */
export function chat(_request: Request, { context }: RouteArgs<ExampleState>): Response {
  const adapter = escapeHtml(context.adapter);
  return html(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>anyserver chat on ${adapter}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}#messages{list-style:none;padding:0;min-height:8rem}.notice{color:#666;font-style:italic}.error{color:#b00}input{width:70%}</style>
</head>
<body>
<h1>Chat</h1>
<p>You are <strong id="me"></strong> on <strong>${adapter}</strong> · <span id="status">connecting…</span></p>
<ul id="messages"></ul>
<form id="send"><input id="text" maxlength="${MAX_CHAT_TEXT}" autocomplete="off" required placeholder="Say something"> <button>Send</button></form>
<script>
const params = new URLSearchParams(location.search);
const name = params.get("name") || "guest-" + Math.floor(Math.random() * 10000);
document.getElementById("me").textContent = name;
const list = document.getElementById("messages");
const status = (text) => { document.getElementById("status").textContent = text; };
const show = (className, text) => {
  const item = document.createElement("li");
  item.className = className;
  item.textContent = text;
  list.append(item);
};
let socket;
function connect() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  socket = new WebSocket(scheme + "//" + location.host + "${CHAT_SOCKET_PATH}?name=" + encodeURIComponent(name));
  socket.onopen = () => status("connected");
  socket.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.type === "message") show("message", event.name + ": " + event.text);
    else if (event.type === "joined" || event.type === "left") show("notice", event.name + " " + event.type);
    else if (event.type === "error") show("error", event.error);
  };
  // 1001: the server restarts (a reload); come back to one of the new workers.
  socket.onclose = (event) => {
    status(event.code === 1001 ? "reconnecting…" : "disconnected (" + event.code + ")");
    if (event.code === 1001) setTimeout(connect, 1000);
  };
}
connect();
document.getElementById("send").onsubmit = (event) => {
  event.preventDefault();
  const input = document.getElementById("text");
  if (socket.readyState === WebSocket.OPEN && input.value.trim()) socket.send(input.value);
  input.value = "";
};
</script>
</body>
</html>
`);
}
