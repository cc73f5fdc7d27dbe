import { chmodSync, existsSync, unlinkSync } from "node:fs";
import { connect, type Server } from "node:net";
import { dirname } from "node:path";
import { AnyserverError, listenError } from "@anyserver/core";

/** Listen on `host:port`, with the CLI's messages for the usual failures (port in use, below 1024…). */
export function listenTcp(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (error) => reject(listenError(error, host, port)));
    server.listen(port, host, () => resolve());
  });
}

/**
 * Listen on a unix socket. A socket file left by a server that died is replaced; one a live
 * server still answers on is not. `mode` (e.g. 0o660) lets the web server's user connect.
 */
export async function listenUnix(server: Server, path: string, mode: number | undefined): Promise<void> {
  try {
    await listenPath(server, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" && !(await answers(path))) {
      unlinkSync(path);
      await listenPath(server, path);
    } else throw unixError(code, path, error);
  }
  if (mode !== undefined) chmodSync(path, mode);
}

function listenPath(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(path, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

/** Whether a server accepts connections on the socket file (else it is stale). */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function unixError(code: string | undefined, path: string, error: unknown): Error {
  if (code === "EADDRINUSE") {
    return new AnyserverError(
      `Socket ${path} is in use by a running server. Stop it or choose another --socket path.`,
      code,
    );
  }
  if (code === "EACCES") {
    return new AnyserverError(
      `Permission denied to create the socket ${path}. Choose a folder you can write to.`,
      code,
    );
  }
  if (code === "ENOENT" && !existsSync(dirname(path))) {
    return new AnyserverError(
      `Cannot create the socket ${path}: the folder ${dirname(path)} does not exist.`,
      code,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
