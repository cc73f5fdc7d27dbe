import { connect, type Socket } from "node:net";
import { encodeParams } from "../src/params.ts";
import {
  ABORT_REQUEST,
  BEGIN_REQUEST,
  END_REQUEST,
  encodeRecord,
  type FcgiRecord,
  GET_VALUES,
  KEEP_CONN,
  MAX_CONTENT,
  PARAMS,
  RESPONDER,
  RecordReader,
  STDIN,
  STDOUT,
} from "../src/records.ts";

/** What the responder sent back for one request. */
export interface FcgiResponse {
  stdout: Buffer;
  appStatus: number;
  protocolStatus: number;
}

/** The CGI response in `stdout` split into status, headers and body. */
export function parseCgi(stdout: Buffer): { status: number; headers: [string, string][]; body: Buffer } {
  const end = stdout.indexOf("\r\n\r\n");
  if (end < 0) throw new Error(`no blank line after the head in: ${stdout.toString("latin1").slice(0, 200)}`);
  const lines = stdout.subarray(0, end).toString("latin1").split("\r\n");
  const headers = lines.map((line) => {
    const colon = line.indexOf(":");
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()] as [string, string];
  });
  const status = Number(headers.find(([name]) => name === "status")?.[1].split(" ")[0] ?? 200);
  return { status, headers, body: stdout.subarray(end + 4) };
}

/** Params of a GET for `path`, as nginx would send them. */
export function requestParams(
  method: string,
  path: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const [pathname, query = ""] = path.split("?");
  return {
    GATEWAY_INTERFACE: "CGI/1.1",
    REQUEST_METHOD: method,
    REQUEST_URI: path,
    SCRIPT_NAME: pathname,
    QUERY_STRING: query,
    SERVER_PROTOCOL: "HTTP/1.1",
    SERVER_NAME: "localhost",
    SERVER_PORT: "80",
    REMOTE_ADDR: "192.0.2.7",
    REMOTE_PORT: "51234",
    HTTP_HOST: "example.test",
    ...extra,
  };
}

/**
 * A raw FastCGI client, written from the spec for these tests: sends records as a web server
 * would (multiplexed ids, kept connections, aborts) and collects what comes back per id.
 */
export class FcgiClient {
  readonly socket: Socket;
  readonly records: FcgiRecord[] = [];
  readonly #reader = new RecordReader();
  readonly #waiters = new Set<() => void>();
  #closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.#reader.push(chunk, (record) =>
        this.records.push({ ...record, content: Buffer.from(record.content) }),
      );
      this.#wake();
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      this.#closed = true;
      this.#wake();
    });
  }

  static open(target: number | string): Promise<FcgiClient> {
    return new Promise((resolve, reject) => {
      const socket = typeof target === "number" ? connect(target, "127.0.0.1") : connect(target);
      socket.once("connect", () => resolve(new FcgiClient(socket)));
      socket.once("error", reject);
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  begin(id: number, options: { keepConn?: boolean; role?: number } = {}): void {
    const body = Buffer.alloc(8);
    body.writeUInt16BE(options.role ?? RESPONDER, 0);
    body[2] = options.keepConn ? KEEP_CONN : 0;
    this.send(encodeRecord(BEGIN_REQUEST, id, body));
  }

  params(id: number, params: Record<string, string>): void {
    const bytes = encodeParams(params);
    for (let offset = 0; offset < bytes.length; offset += MAX_CONTENT) {
      this.send(encodeRecord(PARAMS, id, bytes.subarray(offset, offset + MAX_CONTENT)));
    }
    this.send(encodeRecord(PARAMS, id));
  }

  /** Body bytes as FCGI_STDIN records; `end` sends the empty record that closes the stream. */
  stdin(id: number, body: Uint8Array, end = true): boolean {
    let ok = true;
    for (let offset = 0; offset < body.byteLength; offset += MAX_CONTENT) {
      ok = this.socket.write(encodeRecord(STDIN, id, body.subarray(offset, offset + MAX_CONTENT)));
    }
    if (end) ok = this.socket.write(encodeRecord(STDIN, id));
    return ok;
  }

  abort(id: number): void {
    this.send(encodeRecord(ABORT_REQUEST, id));
  }

  getValues(names: string[]): void {
    this.send(encodeRecord(GET_VALUES, 0, encodeParams(Object.fromEntries(names.map((name) => [name, ""])))));
  }

  /** A whole request: begin, params, body. */
  request(id: number, params: Record<string, string>, body?: Uint8Array, keepConn = true): void {
    this.begin(id, { keepConn });
    this.params(id, params);
    this.stdin(id, body ?? new Uint8Array(0));
  }

  /** Resolves when `check` holds for the records received so far (or fails if the connection closes first). */
  async until<T>(check: () => T | undefined, what: string): Promise<T> {
    for (;;) {
      const found = check();
      if (found !== undefined) return found;
      if (this.#closed) throw new Error(`the connection closed before ${what}`);
      await new Promise<void>((resolve) => this.#waiters.add(resolve));
    }
  }

  /** The response to request `id`, once its FCGI_END_REQUEST arrives. */
  response(id: number): Promise<FcgiResponse> {
    return this.until(() => {
      const end = this.records.find((r) => r.requestId === id && r.type === END_REQUEST);
      if (!end) return undefined;
      const stdout = Buffer.concat(
        this.records.filter((r) => r.requestId === id && r.type === STDOUT).map((r) => r.content),
      );
      return { stdout, appStatus: end.content.readUInt32BE(0), protocolStatus: end.content[4] };
    }, `request ${id} ended`);
  }

  /** Bytes of FCGI_STDOUT received so far for request `id`. */
  stdoutSoFar(id: number): Buffer {
    return Buffer.concat(
      this.records.filter((r) => r.requestId === id && r.type === STDOUT).map((r) => r.content),
    );
  }

  /** Resolves when the server closes the connection. */
  closedByServer(): Promise<void> {
    return this.until(() => (this.#closed ? true : undefined), "never").then(() => {});
  }

  close(): void {
    this.socket.destroy();
  }

  #wake(): void {
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
  }
}
