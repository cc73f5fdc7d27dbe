import { NoteStore } from "./notes/store.ts";

const MiB = 1024 * 1024;

/** Limits and clock of one app instance; tests shrink the limits and fix the clock. */
export interface ExampleOptions {
  /**
   * Largest `/download?size=` served, in bytes.
   * @default 1073741824 (1 GiB)
   */
  maxDownloadBytes?: number;
  /**
   * Largest body `/upload` accepts, in bytes (streamed, never held in memory).
   * @default 1073741824 (1 GiB)
   */
  maxUploadBytes?: number;
  /**
   * Largest JSON body the notes API reads, in bytes.
   * @default 65536
   */
  maxJsonBytes?: number;
  /**
   * Notes kept in memory before creating more answers 507.
   * @default 1000
   */
  maxNotes?: number;
  /**
   * The clock used for timestamps.
   * @default () => new Date()
   */
  now?: () => Date;
}

/** What the routes of one app instance share. */
export interface ExampleState {
  readonly limits: Readonly<{ download: number; upload: number; json: number }>;
  readonly notes: NoteStore;
  readonly now: () => Date;
  readonly startedAt: Date;
  /** Server-Sent Event streams open right now (shown by /health, so leaks are visible). */
  openEventStreams: number;
}

export function createState(options: ExampleOptions = {}): ExampleState {
  const now = options.now ?? (() => new Date());
  return {
    limits: {
      download: options.maxDownloadBytes ?? 1024 * MiB,
      upload: options.maxUploadBytes ?? 1024 * MiB,
      json: options.maxJsonBytes ?? 64 * 1024,
    },
    notes: new NoteStore(options.maxNotes ?? 1000),
    now,
    startedAt: now(),
    openEventStreams: 0,
  };
}
