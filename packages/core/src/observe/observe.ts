import { withFetch } from "../app.ts";
import { defaultLogger, errorLine } from "../logger.ts";
import type { App, Logger, RequestContext } from "../types.ts";
import { type AccessLog, createAccessLog } from "./access-log.ts";
import { type AllowList, type ClientFilter, clientAddresses, clientFilter } from "./allow.ts";
import type { LogFormat } from "./formats.ts";
import { createMetrics, type Metrics } from "./metrics.ts";
import { profileRoute } from "./profile-page.ts";
import { createProfiler, type Profiler } from "./profiler.ts";
import { watch } from "./wrap.ts";

export interface ObserveOptions {
  /** One line per request, to `file` or stdout. */
  accessLog?: {
    /** Append to this file (reopened by `reopenLog()`); stdout when absent. */
    file?: string;
    /** @default "combined" */
    format?: LogFormat;
  };
  /** Prometheus metrics of requests and of the process. */
  metrics?: {
    /** @default "/metrics" */
    path?: string;
    /** Clients besides loopback that may read them. @default [] */
    allow?: AllowList;
    /** What the endpoint serves; by default this process's metrics (the supervisor passes the sum over workers). */
    collect?: (metrics: Metrics) => Promise<string>;
  };
  /** A CPU profile of this process, saved to `dir`, summarised at `path`. */
  profiler?: {
    dir: string;
    /** @default "/__profile__" */
    path?: string;
    /** Clients besides loopback that may see the page. @default [] */
    allow?: AllowList;
  };
  /** The server's name, in profile file names. @default "anyserver" */
  server?: string;
  /** Check every `X-Forwarded-For` hop against the allow lists (set it as the server's trustProxy). @default false */
  trustProxy?: boolean;
  logger?: Logger;
}

/** An observed app, with what its owner calls on SIGUSR1 and at shutdown. */
export interface Observed {
  /** The app to serve: the original one when nothing is observed. */
  app: App;
  /** This process's metrics, when enabled. */
  metrics?: Metrics;
  /** Open the access log file again (after logrotate moved it). */
  reopenLog(): void;
  /** Flush the access log and save the profile. */
  close(): Promise<void>;
}

/**
 * Access log, metrics and profiler around any app, for every adapter. With none of them
 * enabled the app is returned untouched: observing nothing costs nothing.
 */
export async function observe(app: App, options: ObserveOptions): Promise<Observed> {
  const logger = options.logger ?? defaultLogger;
  const trustProxy = options.trustProxy ?? false;
  if (!options.accessLog && !options.metrics && !options.profiler) {
    return { app, reopenLog() {}, close: async () => {} };
  }
  const metricsFilter = options.metrics && clientFilter(options.metrics.allow, "metrics allow list");
  const profilerFilter = options.profiler && clientFilter(options.profiler.allow, "profiler allow list");
  const accessLog: AccessLog | undefined =
    options.accessLog && (await createAccessLog({ ...options.accessLog, logger }));
  const metrics = options.metrics && (await createMetrics());
  const server = options.server ?? "anyserver";
  const profiler: Profiler | undefined =
    options.profiler && (await createProfiler({ dir: options.profiler.dir, server, logger }));

  const metricsPath = options.metrics?.path ?? "/metrics";
  const collect = options.metrics?.collect ?? ((own: Metrics) => own.text());
  const page = options.profiler && {
    path: options.profiler.path ?? "/__profile__",
    server,
    dir: options.profiler.dir,
  };

  const refuse = (filter: ClientFilter, request: Request, context: RequestContext) => {
    const forwarded = trustProxy ? request.headers.get("x-forwarded-for") : null;
    return !clientAddresses(context.remoteAddress, forwarded, trustProxy).every((address) =>
      filter.allows(address),
    );
  };
  const endpoint = (
    request: Request,
    context: RequestContext,
    pathname: string,
  ): Promise<Response> | undefined => {
    if (metrics && pathname === metricsPath) {
      if (refuse(metricsFilter!, request, context))
        return Promise.resolve(forbidden(pathname, "--metrics-allow"));
      if (request.method !== "GET" && request.method !== "HEAD") return Promise.resolve(notAllowed());
      return collect(metrics).then(
        (text) =>
          new Response(text, {
            headers: { "content-type": metrics.contentType, "cache-control": "no-store" },
          }),
        (error) => {
          logger.error(`collecting metrics failed: ${errorLine(error)}`);
          return new Response("Metrics unavailable\n", {
            status: 503,
            headers: { "content-type": "text/plain" },
          });
        },
      );
    }
    if (profiler && page && (pathname === page.path || pathname.startsWith(`${page.path}/`))) {
      const route = profileRoute(profiler, page, request, pathname);
      if (!route) return undefined;
      if (refuse(profilerFilter!, request, context))
        return Promise.resolve(forbidden(page.path, "--profiler-allow"));
      return route();
    }
    return undefined;
  };

  const observed = watch(app, {
    accessLog,
    started: metrics && (() => metrics.started()),
    finished:
      metrics || profiler
        ? (record) => {
            metrics?.finished(record.method, record.status, record.durationMs / 1000);
            profiler?.requestFinished();
          }
        : undefined,
    endpoint: metrics || profiler ? endpoint : undefined,
  });
  return {
    app: withFetch(app, observed),
    metrics,
    reopenLog: () => accessLog?.reopen(),
    async close() {
      accessLog?.close();
      if (profiler) logger.info(`profile saved to ${await profiler.close()}`);
    },
  };
}

function forbidden(path: string, flag: string): Response {
  return new Response(`Forbidden: ${path} answers loopback clients only (allow others with ${flag}).\n`, {
    status: 403,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

function notAllowed(): Response {
  return new Response("Method Not Allowed\n", {
    status: 405,
    headers: { "content-type": "text/plain", allow: "GET, HEAD" },
  });
}
