import expressAdapter from "@anyserver/adapter-express";
import fastifyAdapter from "@anyserver/adapter-fastify";
import hyperExpressAdapter from "@anyserver/adapter-hyper-express";
import koaAdapter from "@anyserver/adapter-koa";
import uwsAdapter from "@anyserver/adapter-uws";
import { type Adapter, type Logger, nodeAdapter, type RunningServer, serve } from "@anyserver/core";
import { afterAll, beforeAll, describe } from "vitest";
import { createApp, type ExampleOptions } from "../src/app.ts";

/**
 * Every server the example is tested on. Adding an adapter is one line here (and a
 * devDependency): every route test and the CLI test then run on it too.
 */
export const servers: Adapter<any>[] = [
  nodeAdapter,
  fastifyAdapter,
  expressAdapter,
  koaAdapter,
  uwsAdapter,
  hyperExpressAdapter,
];

/** A fixed clock, so timestamps in bodies can be asserted byte for byte. */
export const FIXED_NOW = new Date("2026-01-02T03:04:05.678Z");

/** One running example app, as a test sees it. */
export interface Example {
  /** The absolute URL of `path` on the running server. */
  url(path: string): string;
  /** `fetch` against the running server. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Error lines the server logged (a handler that threw, a bad Response): tests expect none. */
  readonly errors: readonly string[];
  readonly server: RunningServer;
}

/**
 * `describe(title)` once per server, each with a fresh example app on 127.0.0.1 port 0,
 * started before and closed after the block.
 */
export function describeExample(
  title: string,
  body: (example: Example) => void,
  options: ExampleOptions = {},
): void {
  for (const adapter of servers) {
    describe(`${title} (${adapter.name})`, () => body(useExample(adapter, options)));
  }
}

/** Start the example on `adapter` for the enclosing describe block. */
export function useExample(adapter: Adapter<any>, options: ExampleOptions = {}): Example {
  const errors: string[] = [];
  const logger: Logger = {
    info() {},
    warn: (line: string) => errors.push(line),
    error: (line: string) => errors.push(line),
  };
  let server: RunningServer | undefined;
  beforeAll(async () => {
    server = await serve(createApp({ now: () => FIXED_NOW, ...options }), {
      server: adapter,
      port: 0,
      logger,
    });
  });
  afterAll(() => server?.close({ timeout: 2000 }));
  const url = (path: string) => new URL(path, started().url).href;
  const started = () => server ?? expectStarted();
  return {
    url,
    fetch: (path, init) => fetch(url(path), init),
    errors,
    get server() {
      return started();
    },
  };
}

function expectStarted(): never {
  throw new Error("The example server is not running: use it inside it() or a hook of its describe block.");
}

/** Read a whole body as bytes. */
export async function bytesOf(response: Response): Promise<Uint8Array> {
  return new Uint8Array(await response.arrayBuffer());
}
