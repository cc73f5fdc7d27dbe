import type { Counter, Histogram, MetricObjectWithValues, MetricValue, Registry } from "prom-client";

/** The request metrics of one process, in a prom-client registry with the process metrics. */
export interface Metrics {
  /** A request reached the app. */
  started(): void;
  /** It was answered (or abandoned) after `seconds`. */
  finished(method: string, status: number, seconds: number): void;
  /** This process's metrics in Prometheus text format. */
  text(): Promise<string>;
  /** This process's metrics as JSON, for the supervisor to add up over workers. */
  snapshot(): Promise<MetricObjectWithValues<MetricValue<string>>[]>;
  readonly contentType: string;
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE"]);

/** Seconds: from a fast cached response to a slow report. */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Create the registry (prom-client is loaded only now, when metrics are asked for). */
export async function createMetrics(): Promise<Metrics> {
  const client = await import("prom-client");
  const registry: Registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const requests = new client.Counter({
    name: "http_requests_total",
    help: "HTTP requests answered, by method and status code.",
    labelNames: ["method", "status"],
    registers: [registry],
  });
  const duration = new client.Histogram({
    name: "http_request_duration_seconds",
    help: "Time from a request's arrival to its last body byte, by method and status code.",
    labelNames: ["method", "status"],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const inFlight = new client.Gauge({
    name: "http_requests_in_flight",
    help: "Requests received and not yet answered.",
    registers: [registry],
  });
  const series = seriesCache(requests, duration);
  return {
    started: () => inFlight.inc(),
    finished(method, status, seconds) {
      inFlight.dec();
      const { count, time } = series(METHODS.has(method) ? method : "OTHER", status);
      count.inc();
      time.observe(seconds);
    },
    text: () => registry.metrics(),
    snapshot: () => registry.getMetricsAsJSON(),
    contentType: registry.contentType,
  };
}

type Series = { count: Counter.Internal; time: Histogram.Internal<string> };

/** The labelled children, looked up once per method and status instead of hashing labels per request. */
function seriesCache(requests: Counter, duration: Histogram): (method: string, status: number) => Series {
  const cache = new Map<string, Series>();
  return (method, status) => {
    const key = `${method} ${status}`;
    let found = cache.get(key);
    if (!found) {
      const labels = { method, status: String(status) };
      found = { count: requests.labels(labels), time: duration.labels(labels) };
      cache.set(key, found);
    }
    return found;
  };
}
