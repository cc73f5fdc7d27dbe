import { createHash } from "node:crypto";
import { readBody } from "../lib/read-body.ts";
import type { RouteArgs } from "../lib/router.ts";
import type { ExampleState } from "../state.ts";

/** POST or PUT /upload: hash the body as it streams in and answer its size and SHA-256. */
export async function upload(request: Request, { state }: RouteArgs<ExampleState>): Promise<Response> {
  // Web Crypto has no incremental digest; node:crypto's does (and Bun and Deno provide it too).
  const hash = createHash("sha256");
  const bytes = await readBody(request, state.limits.upload, (chunk) => hash.update(chunk));
  return Response.json({ bytes, sha256: hash.digest("hex") });
}
