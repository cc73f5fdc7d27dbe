import type { RouteArgs } from "../lib/router.ts";
import type { ExampleState } from "../state.ts";

/** GET /health: liveness for load balancers and process managers, plus what this instance holds. */
export function health(_request: Request, { context, state }: RouteArgs<ExampleState>): Response {
  const uptime = Math.round((state.now().getTime() - state.startedAt.getTime()) / 1000);
  return Response.json(
    {
      status: "ok",
      adapter: context.adapter,
      uptime,
      notes: state.notes.size,
      openEventStreams: state.openEventStreams,
    },
    { headers: { "cache-control": "no-store" } },
  );
}
