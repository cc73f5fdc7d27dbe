import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

const PREFIX = "/2018-06-01/runtime";
const DELIMITER = Buffer.alloc(8);

/** What the function sent back for one invocation, as the Runtime API received it. */
export interface Outcome {
  kind: "response" | "error";
  /** The request id the invocation had (Lambda-Runtime-Aws-Request-Id). */
  id: string;
  headers: IncomingMessage["headers"];
  trailers: Record<string, string | undefined>;
  body: Buffer;
  /** For streamed HTTP responses: the metadata JSON before the 8 null bytes, and the bytes after. */
  prelude?: Record<string, unknown>;
  payload?: Buffer;
}

export interface RuntimeApi {
  /** host:port, the value of AWS_LAMBDA_RUNTIME_API. */
  address: string;
  /** Queue one event; resolves with what the function posts back for it. */
  invoke(
    event: unknown,
    options?: { onData?: (chunk: Buffer) => void; cut?: (request: IncomingMessage) => void },
  ): Promise<Outcome>;
  /** Errors the runtime posted to /init/error. */
  initErrors: string[];
  close(): Promise<void>;
}

interface Pending {
  id: string;
  event: unknown;
  options: Parameters<RuntimeApi["invoke"]>[1];
  resolve: (outcome: Outcome) => void;
}

/**
 * A local stand-in for the Lambda Runtime API (the HTTP API the runtime polls), enough for the
 * runtime interface client: /invocation/next long-polls for the next queued event;
 * /invocation/{id}/response and /error take the answer, buffered or streamed
 * (`Lambda-Runtime-Function-Response-Mode: streaming`, chunked, with error trailers).
 */
export async function startRuntimeApi(): Promise<RuntimeApi> {
  const queue: Pending[] = [];
  const waiting: ServerResponse[] = [];
  const inFlight = new Map<string, Pending>();
  const initErrors: string[] = [];

  const deliver = () => {
    while (queue.length > 0 && waiting.length > 0) {
      const next = queue.shift()!;
      const res = waiting.shift()!;
      inFlight.set(next.id, next);
      res.writeHead(200, {
        "content-type": "application/json",
        "lambda-runtime-aws-request-id": next.id,
        "lambda-runtime-deadline-ms": String(Date.now() + 60_000),
        "lambda-runtime-invoked-function-arn": "arn:aws:lambda:us-east-1:123456789012:function:app",
        "lambda-runtime-trace-id": "Root=1-5e9f0c65-1de4d666d4dd26aced652b6c;Parent=1;Sampled=0",
      });
      res.end(JSON.stringify(next.event));
    }
  };

  const server = createServer((req, res) => {
    const url = req.url ?? "";
    if (req.method === "GET" && url === `${PREFIX}/invocation/next`) {
      waiting.push(res);
      res.once("close", () => waiting.splice(waiting.indexOf(res) >>> 0, 1));
      return deliver();
    }
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    const chunks: Buffer[] = [];
    const pending = match ? inFlight.get(decodeURIComponent(match[1])) : undefined;
    pending?.options?.cut?.(req);
    req.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      pending?.options?.onData?.(chunk);
    });
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (url === `${PREFIX}/init/error`) initErrors.push(body.toString());
      if (pending) {
        inFlight.delete(pending.id);
        pending.resolve(outcome(match![2] as Outcome["kind"], pending.id, req, body));
      }
      res.writeHead(pending || url === `${PREFIX}/init/error` ? 202 : 404, {
        "content-type": "application/json",
      });
      res.end('{"status":"OK"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    address: `127.0.0.1:${port}`,
    initErrors,
    invoke(event, options) {
      return new Promise((resolve) => {
        queue.push({ id: randomUUID(), event, options, resolve });
        deliver();
      });
    },
    close() {
      for (const res of waiting.splice(0)) res.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function outcome(kind: Outcome["kind"], id: string, req: IncomingMessage, body: Buffer): Outcome {
  const result: Outcome = { kind, id, headers: req.headers, trailers: { ...req.trailers }, body };
  if (req.headers["content-type"] === "application/vnd.awslambda.http-integration-response") {
    const end = body.indexOf(DELIMITER);
    result.prelude = JSON.parse(body.subarray(0, end).toString("utf8"));
    result.payload = body.subarray(end + DELIMITER.length);
  }
  return result;
}
