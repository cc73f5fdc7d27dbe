import type { Adapter } from "./types.ts";

/** Declare an adapter with its types checked; returns it unchanged. */
export function defineAdapter<O = {}>(adapter: Adapter<O>): Adapter<O> {
  return adapter;
}
