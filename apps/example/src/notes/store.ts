/** A note as the API returns it. */
export interface Note {
  id: number;
  title: string;
  body: string;
  done: boolean;
  createdAt: string;
}

/** What a client may set when creating a note. */
export interface NoteInput {
  title: string;
  body: string;
  done: boolean;
}

/** Notes in memory, in creation order, up to `capacity` so a public demo cannot grow without bound. */
export class NoteStore {
  readonly #notes = new Map<number, Note>();
  #nextId = 1;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#notes.size;
  }

  list(): Note[] {
    return [...this.#notes.values()];
  }

  get(id: number): Note | undefined {
    return this.#notes.get(id);
  }

  /** The new note, or undefined when the store is full. */
  add(input: NoteInput, createdAt: Date): Note | undefined {
    if (this.#notes.size >= this.capacity) return undefined;
    const note: Note = { id: this.#nextId++, ...input, createdAt: createdAt.toISOString() };
    this.#notes.set(note.id, note);
    return note;
  }

  delete(id: number): boolean {
    return this.#notes.delete(id);
  }
}
