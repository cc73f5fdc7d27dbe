/**
 * A mistake the user can fix: the CLI prints its message as one line, without a stack,
 * and exits 1. Messages say what happened and what to do.
 */
export class AnyserverError extends Error {
  override name = "AnyserverError";
  constructor(
    message: string,
    readonly code = "ANYSERVER_ERROR",
  ) {
    super(message);
  }
}

/** Turn a listen() failure into the message a user can act on. */
export function listenError(error: unknown, host: string, port: number): Error {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === "EADDRINUSE") {
    return new AnyserverError(
      `Port ${port} on ${host} is already in use. Stop the process using it or choose another port with -p.`,
      code,
    );
  }
  if (code === "EACCES" && port < 1024) {
    return new AnyserverError(
      `Permission denied to listen on port ${port}: ports below 1024 need root. Use a port of 1024 or above, e.g. -p 8080.`,
      code,
    );
  }
  if (code === "EACCES") {
    return new AnyserverError(
      `Permission denied to listen on ${host}:${port}. Choose another address or port.`,
      code,
    );
  }
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") {
    return new AnyserverError(
      `Cannot listen on ${host}: this machine has no such address. Use -i 127.0.0.1 or -i 0.0.0.0.`,
      code,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
