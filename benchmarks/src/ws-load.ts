import WebSocket from "ws";

export interface WsLoadOptions {
  url: string;
  /** Open sockets. */
  connections: number;
  /** Messages each socket keeps in flight: a reply sends the next one. */
  inFlight: number;
  payload: string;
  seconds: number;
}

export interface WsLoadResult {
  /** Echoes received per second over the measured time. */
  messagesPerSecond: number;
  errors: number;
}

/**
 * Echo load from this process: `connections` sockets each keep `inFlight` messages going
 * (a reply sends the next), and the echoes received in `seconds` are counted. Sockets open
 * before the clock starts and are cut after it stops.
 */
export async function wsEcho(options: WsLoadOptions): Promise<WsLoadResult> {
  let counting = false;
  let received = 0;
  let errors = 0;
  const sockets = await Promise.all(
    Array.from(
      { length: options.connections },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const socket = new WebSocket(options.url, { perMessageDeflate: false });
          socket.once("open", () => resolve(socket));
          socket.once("error", reject);
        }),
    ),
  );
  for (const socket of sockets) {
    socket.on("error", () => errors++);
    socket.on("message", () => {
      if (counting) received++;
      socket.send(options.payload);
    });
  }
  for (const socket of sockets) for (let i = 0; i < options.inFlight; i++) socket.send(options.payload);
  // Let the pipelines fill before counting.
  await new Promise((resolve) => setTimeout(resolve, 250));
  counting = true;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, options.seconds * 1000));
  counting = false;
  const elapsed = (performance.now() - started) / 1000;
  for (const socket of sockets) socket.terminate();
  return { messagesPerSecond: received / elapsed, errors };
}
