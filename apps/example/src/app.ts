import type { RequestContext, WebSocketHooks } from "@anyserver/core";
import { chatRoom } from "./chat/room.ts";
import { createRouter, type Route } from "./lib/router.ts";
import { chat } from "./routes/chat.ts";
import { download } from "./routes/download.ts";
import { events } from "./routes/events.ts";
import { health } from "./routes/health.ts";
import { home } from "./routes/home.ts";
import { createNote, deleteNote, getNote, listNotes } from "./routes/notes.ts";
import { upload } from "./routes/upload.ts";
import { createState, type ExampleOptions, type ExampleState } from "./state.ts";

export type { ExampleOptions } from "./state.ts";

/** Every route of the example: one line each. */
const routes: Route<ExampleState>[] = [
  { path: "/", methods: { GET: home } },
  { path: "/health", methods: { GET: health } },
  { path: "/api/notes", methods: { GET: listNotes, POST: createNote } },
  { path: "/api/notes/:id", methods: { GET: getNote, DELETE: deleteNote } },
  { path: "/chat", methods: { GET: chat } },
  { path: "/download", methods: { GET: download } },
  { path: "/events", methods: { GET: events } },
  { path: "/upload", methods: { POST: upload, PUT: upload } },
];

/** A fresh app with its own notes and chat room: the fetch contract and WebSocket hooks, no framework. */
export function createApp(options: ExampleOptions = {}): {
  fetch(request: Request, context: RequestContext): Promise<Response>;
  websocket: WebSocketHooks;
} {
  const router = createRouter(routes, createState(options));
  return { fetch: (request, context) => router(request, context), websocket: chatRoom() };
}

export default createApp();
