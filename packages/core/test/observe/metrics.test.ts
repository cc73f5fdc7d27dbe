import { describe, expect, it } from "vitest";
import { metricSum, serve } from "./_observe.ts";

const N = 7;

describe("metrics (--metrics)", () => {
  it("counts exactly the app's N requests by method and status, with durations and process metrics", async () => {
    const served = await serve(["--metrics"]);
    try {
      for (let i = 0; i < N - 2; i++) await (await fetch(new URL(`/r${i}`, served.url))).text();
      await (await fetch(new URL("/missing", served.url))).text();
      await (await fetch(new URL("/stream", served.url), { method: "POST", body: "x" })).text();
      const response = await fetch(new URL("/metrics", served.url));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      expect(metricSum(text, "http_requests_total")).toBe(N);
      expect(text).toContain(`http_requests_total{method="GET",status="200"} ${N - 2}`);
      expect(text).toContain('http_requests_total{method="GET",status="404"} 1');
      expect(text).toContain('http_requests_total{method="POST",status="200"} 1');
      expect(metricSum(text, "http_request_duration_seconds_count")).toBe(N);
      expect(text).toMatch(/^http_requests_in_flight 0$/m);
      expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
      expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
      // The scrape itself is not counted.
      expect(
        metricSum(await (await fetch(new URL("/metrics", served.url))).text(), "http_requests_total"),
      ).toBe(N);
    } finally {
      await served.stop();
    }
  });

  it("answers at the path given, and leaves /metrics to the app", async () => {
    const served = await serve(["--metrics", "/internal/stats"]);
    try {
      expect(await (await fetch(new URL("/metrics", served.url))).text()).toBe("hello from /metrics");
      expect(await (await fetch(new URL("/internal/stats", served.url))).text()).toContain(
        "http_requests_total",
      );
    } finally {
      await served.stop();
    }
  });

  it("refuses a client that is not on loopback, also when its first X-Forwarded-For hop claims 127.0.0.1", async () => {
    const served = await serve(["--metrics", "--trust-proxy"]);
    try {
      for (const forwarded of ["203.0.113.9", "127.0.0.1, 203.0.113.9", "not-an-address"]) {
        const refused = await fetch(new URL("/metrics", served.url), {
          headers: { "x-forwarded-for": forwarded },
        });
        expect(refused.status).toBe(403);
        expect(await refused.text()).toBe(
          "Forbidden: /metrics answers loopback clients only (allow others with --metrics-allow).\n",
        );
      }
      const local = await fetch(new URL("/metrics", served.url), {
        headers: { "x-forwarded-for": "127.0.0.1" },
      });
      expect(local.status).toBe(200);
    } finally {
      await served.stop();
    }
  });

  it("lets the clients of --metrics-allow in", async () => {
    const served = await serve([
      "--metrics",
      "--trust-proxy",
      "--metrics-allow",
      "203.0.113.0/24, 2001:db8::1",
    ]);
    try {
      const headers = (forwarded: string) => ({ headers: { "x-forwarded-for": forwarded } });
      expect((await fetch(new URL("/metrics", served.url), headers("203.0.113.9"))).status).toBe(200);
      expect((await fetch(new URL("/metrics", served.url), headers("2001:db8::1"))).status).toBe(200);
      expect((await fetch(new URL("/metrics", served.url), headers("198.51.100.1"))).status).toBe(403);
    } finally {
      await served.stop();
    }
  });

  it("answers 405 to anything but GET and HEAD", async () => {
    const served = await serve(["--metrics"]);
    try {
      const response = await fetch(new URL("/metrics", served.url), { method: "POST" });
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD");
    } finally {
      await served.stop();
    }
  });
});
