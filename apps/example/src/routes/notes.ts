import { HttpError } from "../lib/http-error.ts";
import { readJson } from "../lib/read-json.ts";
import type { RouteArgs } from "../lib/router.ts";
import { parseNoteInput } from "../notes/validate.ts";
import type { ExampleState } from "../state.ts";

type Args = RouteArgs<ExampleState>;

/** GET /api/notes */
export function listNotes(_request: Request, { state }: Args): Response {
  return Response.json({ notes: state.notes.list() });
}

/** POST /api/notes with {"title": "…", "body"?: "…", "done"?: false} → 201 and the note. */
export async function createNote(request: Request, { state }: Args): Promise<Response> {
  const input = parseNoteInput(await readJson(request, state.limits.json));
  const note = state.notes.add(input, state.now());
  if (!note) {
    throw new HttpError(
      507,
      "store_full",
      `The store holds its maximum of ${state.notes.capacity} notes: delete some first.`,
    );
  }
  return Response.json(note, { status: 201, headers: { location: `/api/notes/${note.id}` } });
}

/** GET /api/notes/:id */
export function getNote(_request: Request, { params, state }: Args): Response {
  return Response.json(state.notes.get(noteId(params.id)) ?? notFound(params.id));
}

/** DELETE /api/notes/:id → 204 */
export function deleteNote(_request: Request, { params, state }: Args): Response {
  if (!state.notes.delete(noteId(params.id))) notFound(params.id);
  return new Response(null, { status: 204 });
}

/** Ids are positive integers; anything else names no note. */
function noteId(param: string): number {
  return /^[1-9]\d{0,15}$/.test(param) ? Number(param) : 0;
}

function notFound(id: string): never {
  throw new HttpError(404, "not_found", `No note with id ${JSON.stringify(id)}.`);
}
