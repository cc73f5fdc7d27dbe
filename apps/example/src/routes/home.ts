import { escapeHtml, html } from "../lib/html.ts";
import type { RouteArgs } from "../lib/router.ts";
import type { ExampleState } from "../state.ts";

/** GET /: what this app serves, and which server is answering. */
export function home(_request: Request, { context }: RouteArgs<ExampleState>): Response {
  const adapter = escapeHtml(context.adapter);
  const client = escapeHtml(context.remoteAddress ?? "unknown");
  return html(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>anyserver example on ${adapter}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}code,output{font-family:ui-monospace,monospace}section{margin:1.5rem 0}</style>
</head>
<body>
<h1>anyserver example</h1>
<p>Served by <strong id="adapter">${adapter}</strong> to ${client}. Restart with <code>-s &lt;server&gt;</code> to change the server: this app stays the same.</p>

<section>
<h2>Notes: a JSON API</h2>
<p><a href="/api/notes">GET /api/notes</a> lists them; POST creates one; GET and DELETE <code>/api/notes/:id</code>.</p>
<form id="note"><input name="title" placeholder="Title" required maxlength="200"> <button>Add note</button></form>
<pre><output id="note-result"></output></pre>
</section>

<section>
<h2>Streamed download</h2>
<p><a href="/download?size=1048576">1 MiB</a> · <a href="/download?size=104857600">100 MiB</a>: bytes generated in 64 KiB chunks as you read them.</p>
</section>

<section>
<h2>Server-Sent Events</h2>
<p><a href="/events?limit=10">/events</a> ticks every second. <button id="watch">Watch here</button> <output id="ticks"></output></p>
</section>

<section>
<h2>Upload</h2>
<p>The body is hashed as it streams in, never held whole: <input type="file" id="file"></p>
<pre><output id="upload-result"></output></pre>
</section>

<section>
<h2>Chat: WebSockets</h2>
<p><a href="/chat">/chat</a> is a live chat room: open it in two windows and talk. Messages reach every worker of <code>-w N</code>.</p>
</section>

<section>
<h2>Health</h2>
<p><a href="/health">/health</a> answers <code>{"status":"ok",…}</code> for load balancers.</p>
</section>

<script>
const show = (id, value) => { document.getElementById(id).textContent = value; };
document.getElementById("note").onsubmit = async (event) => {
  event.preventDefault();
  const title = new FormData(event.target).get("title");
  const response = await fetch("/api/notes", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ title }) });
  show("note-result", response.status + " " + JSON.stringify(await response.json(), null, 2));
};
document.getElementById("watch").onclick = (event) => {
  event.target.disabled = true;
  new EventSource("/events").addEventListener("tick", (tick) => show("ticks", "tick " + JSON.parse(tick.data).count));
};
document.getElementById("file").onchange = async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  show("upload-result", "uploading " + file.size + " bytes…");
  const response = await fetch("/upload", { method: "POST", body: file });
  show("upload-result", response.status + " " + JSON.stringify(await response.json(), null, 2));
};
</script>
</body>
</html>
`);
}
