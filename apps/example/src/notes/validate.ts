import { HttpError, invalid } from "../lib/http-error.ts";
import type { NoteInput } from "./store.ts";

const MAX_TITLE = 200;
const MAX_BODY = 10_000;
const FIELDS = new Set(["title", "body", "done"]);

/** Check a parsed JSON body against the note shape; a mistake is a 400 naming the field. */
export function parseNoteInput(value: unknown): NoteInput {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new HttpError(400, "invalid_body", 'The body must be a JSON object like {"title": "Buy milk"}.');
  }
  const input = value as Record<string, unknown>;
  const unknown = Object.keys(input).find((key) => !FIELDS.has(key));
  if (unknown !== undefined) {
    throw invalid(unknown, `${unknown} is not a note field: use title, body and done.`, "unknown_field");
  }
  const { title, body = "", done = false } = input;
  if (title === undefined) throw invalid("title", "title is required.", "missing_field");
  if (typeof title !== "string") throw invalid("title", "title must be a string.");
  if (title.trim().length === 0 || title.length > MAX_TITLE) {
    throw invalid("title", `title must be 1 to ${MAX_TITLE} characters, not blank.`);
  }
  if (typeof body !== "string") throw invalid("body", "body must be a string.");
  if (body.length > MAX_BODY) throw invalid("body", `body must be at most ${MAX_BODY} characters.`);
  if (typeof done !== "boolean") throw invalid("done", "done must be true or false.");
  return { title: title.trim(), body, done };
}
