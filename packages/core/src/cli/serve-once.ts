import type { Adapter, App, Logger, ServeOptions } from "../types.ts";

/**
 * Serve with a one-shot adapter (CGI): answer the request of this process's environment and
 * exit 0 once it is written. Only warnings and failures are logged (to stderr, which the host
 * keeps in its error log); stdout belongs to the response. SIGTERM from the host (the client
 * left) closes the server gracefully.
 */
export async function serveOnce(
  adapter: Adapter<any>,
  app: App,
  options: ServeOptions,
  logger: Logger,
): Promise<void> {
  const quiet: Logger = { info() {}, warn: logger.warn, error: logger.error };
  const server = await adapter.serve(app, { ...options, logger: quiet });
  const stop = () => server.close().finally(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  // Exit even if the app left handles open (pools, timers): the one request is all there is.
  await server.finished;
  process.exit(0);
}
