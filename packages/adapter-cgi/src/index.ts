import { basename } from "node:path";
import type { Readable, Writable } from "node:stream";
import { AnyserverError, defineAdapter } from "@anyserver/core";
import { type CgiParams, consoleToStderr, createCgiHandler, requestUrl } from "@anyserver/core/cgi";
import { stdinBody } from "./stdin-body.ts";
import { stdoutOutput } from "./stdout-output.ts";

/** Options of the `cgi` adapter, beside the common `ServeOptions` (whose host and port it ignores). */
export interface CgiAdapterOptions {
  /**
   * The request's CGI meta-variables (RFC 3875 §4.1).
   * @default process.env
   */
  env?: Record<string, string | undefined>;
  /**
   * Where the request body is read from.
   * @default process.stdin
   */
  stdin?: Readable;
  /**
   * Where the response is written; the console's stdout methods are sent to stderr when this is process.stdout.
   * @default process.stdout
   */
  stdout?: Writable;
  /**
   * Non-parsed-header mode: start the response with a full status line (`HTTP/1.1 200 OK`) and a
   * Date header, for hosts that pass the program's output to the client untouched.
   * @default true when the script's name starts with "nph-" (the CGI convention), else false
   */
  nph?: boolean;
}

/** What `context.native` is for a CGI request. */
export interface CgiNative {
  env: CgiParams;
  stdin: Readable;
  stdout: Writable;
}

/**
 * The app as a CGI/1.1 program: it answers the one request of the environment it was started
 * in (meta-variables and stdin), writes `Status:`, headers and body to stdout, and is done.
 */
export const cgiAdapter = defineAdapter<CgiAdapterOptions>({
  name: "cgi",
  oneShot: true,
  unsupported: {
    workers: "a CGI program answers one request; the web server starts one process per request",
    websocket: "a CGI program gets the request body and writes one response, never the connection",
    http2: "HTTP/2 is the web server's: it speaks it to clients and runs the program the same way",
  },
  async serve(app, options) {
    const env = options.env ?? process.env;
    if (!env.REQUEST_METHOD) {
      throw new AnyserverError(
        "No CGI request to answer: REQUEST_METHOD is not set. Run the app from a web server's CGI handler (see the @anyserver/adapter-cgi README), or leave out -s cgi to serve HTTP yourself.",
        "NOT_CGI",
      );
    }
    const params: CgiParams = { ...env };
    // httpoxy: a "Proxy:" request header arrives as HTTP_PROXY, which HTTP clients take as their proxy.
    if (env === process.env) delete process.env.HTTP_PROXY;
    const stdout = options.stdout ?? process.stdout;
    if (stdout === process.stdout) consoleToStderr();
    const openStdin = () => options.stdin ?? process.stdin;

    const abort = new AbortController();
    const output = stdoutOutput(stdout, () =>
      abort.abort(new DOMException("The client disconnected", "AbortError")),
    );
    const pending = new Set<Promise<unknown>>();
    const handle = createCgiHandler(app, {
      ...options,
      adapter: "cgi",
      waitUntil(promise) {
        const tracked = Promise.resolve(promise)
          .catch(() => {})
          .finally(() => pending.delete(tracked));
        pending.add(tracked);
      },
    });
    const length = Number(params.CONTENT_LENGTH) || 0;
    const native: CgiNative = {
      env: params,
      get stdin() {
        return openStdin();
      },
      stdout,
    };
    let answered = false;
    const finished = handle({
      params,
      body: length > 0 ? stdinBody(openStdin, length) : null,
      output,
      signal: abort.signal,
      nph: nphProtocol(params, options.nph),
      native,
    })
      .then(() => {
        answered = true;
        return output.done;
      })
      .then(async () => {
        while (pending.size > 0) await Promise.all(pending);
      });
    // A response still waiting on the app (an open stream, a signal) holds no handle of its own:
    // without this the process would exit early, cutting the response.
    const keepAlive = setInterval(() => {}, 3_600_000);
    finished.finally(() => clearInterval(keepAlive));

    return {
      url: new URL(params.SCRIPT_NAME || "/", requestUrl(params, options.trustProxy ?? false)),
      port: Number(params.SERVER_PORT) || 0,
      adapter: "cgi",
      native,
      finished,
      /**
       * A host stops a CGI program when the response is complete (lighttpd) or when it gives up
       * on it (the client left): an unfinished response can no longer be delivered, so
       * `request.signal` aborts at once; then the app gets up to `timeout` ms to wind down and
       * finish its `waitUntil` work.
       */
      async close(closeOptions) {
        if (!answered) abort.abort(new DOMException("The web server stopped the CGI program", "AbortError"));
        let timer: NodeJS.Timeout | undefined;
        const expired = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, closeOptions?.timeout ?? options.gracefulTimeout ?? 30_000);
        });
        await Promise.race([finished, expired]);
        clearTimeout(timer);
        output.abort();
      },
    };
  },
});

/** The status line's protocol in non-parsed-header mode, or undefined for a parsed-header response. */
function nphProtocol(params: CgiParams, nph: boolean | undefined): string | undefined {
  const script = params.SCRIPT_NAME || params.SCRIPT_FILENAME || "";
  if (!(nph ?? basename(script).startsWith("nph-"))) return undefined;
  const protocol = params.SERVER_PROTOCOL ?? "";
  return /^HTTP\/1\.[01]$/.test(protocol) ? protocol : "HTTP/1.1";
}

export default cgiAdapter;
