import type { Adapter, App, Logger, RunningServer, ServeOptions } from "../types.ts";

/**
 * Serve with a one-shot adapter (CGI): answer the request of this process's environment and
 * exit 0 once it is written. Only warnings and failures are logged (to stderr, which the host
 * keeps in its error log); stdout belongs to the response. SIGTERM from the host (lighttpd
 * sends it once the response is complete, or when the client leaves) closes the server
 * gracefully: its `waitUntil` work still finishes.
 */
export async function serveOnce(
  adapter: Adapter<any>,
  app: App,
  options: ServeOptions,
  logger: Logger,
): Promise<void> {
  const quiet: Logger = { info() {}, warn: logger.warn, error: logger.error };
  let server: RunningServer | undefined;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server?.close().finally(() => process.exit(0));
  };
  // Listen before serving: the host may signal as soon as the response is written, and
  // without a listener SIGTERM would kill the process at once.
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  server = await adapter.serve(app, { ...options, logger: quiet });
  if (stopping) await server.close();
  // Exit even if the app left handles open (pools, timers): the one request is all there is.
  else await server.finished;
  process.exit(0);
}
