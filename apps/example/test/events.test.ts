import { afterEach, expect, it } from "vitest";
import { describeExample, type Example, FIXED_NOW } from "./_example.ts";

const time = FIXED_NOW.toISOString();
const tick = (count: number, retry = "") =>
  `${retry}id: ${count}\nevent: tick\ndata: {"count":${count},"time":"${time}"}\n\n`;

/** Read Server-Sent Events until `count` have arrived; returns each event block. */
async function readEvents(body: ReadableStream<Uint8Array>, count: number): Promise<string[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.split("\n\n").length - 1 < count) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    reader.releaseLock();
  }
  return text
    .split("\n\n")
    .slice(0, count)
    .map((event) => `${event}\n\n`);
}

/** Poll /health until no event stream is open (bounded: the server notices the abort asynchronously). */
async function expectNoOpenStreams(example: Example): Promise<void> {
  let open = -1;
  for (let attempt = 0; attempt < 200 && open !== 0; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25));
    open = (await (await example.fetch("/health")).json()).openEventStreams;
  }
  expect(open).toBe(0);
}

describeExample("Server-Sent Events", (example) => {
  afterEach(() => expect(example.errors).toEqual([]));

  it("sends ticks with id and retry, and ends after limit", async () => {
    const response = await example.fetch("/events?interval=10&limit=3");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    expect(await response.text()).toBe(tick(1, "retry: 3000\n") + tick(2) + tick(3));
    await expectNoOpenStreams(example);
  });

  it("streams until the client aborts, then stops ticking", async () => {
    const abort = new AbortController();
    const response = await example.fetch("/events?interval=10", { signal: abort.signal });
    expect(response.status).toBe(200);
    const events = await readEvents(response.body!, 3);
    expect(events).toEqual([tick(1, "retry: 3000\n"), tick(2), tick(3)]);
    const health = await (await example.fetch("/health")).json();
    expect(health.openEventStreams).toBe(1);
    abort.abort();
    await expectNoOpenStreams(example);
  });

  it("resumes after Last-Event-ID", async () => {
    const response = await example.fetch("/events?interval=10&limit=2", {
      headers: { "last-event-id": "41" },
    });
    expect(await response.text()).toBe(tick(42, "retry: 3000\n") + tick(43));
  });

  it("starts over when Last-Event-ID is not a number", async () => {
    const response = await example.fetch("/events?limit=1", { headers: { "last-event-id": "abc" } });
    expect(await response.text()).toBe(tick(1, "retry: 3000\n"));
  });

  it("answers HEAD with the stream's headers and closes the stream at once", async () => {
    const response = await example.fetch("/events", { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(await response.text()).toBe("");
    await expectNoOpenStreams(example);
  });

  it("answers a bad interval or limit with 400 naming the parameter", async () => {
    const cases: [string, string, string][] = [
      ["interval=abc", "interval", "from 10 to 60000"],
      ["interval=5", "interval", "from 10 to 60000"],
      ["interval=60001", "interval", "from 10 to 60000"],
      ["interval=", "interval", "from 10 to 60000"],
      ["limit=0", "limit", "from 1 to 1000000"],
      ["limit=-2", "limit", "from 1 to 1000000"],
      ["limit=2.5", "limit", "from 1 to 1000000"],
    ];
    for (const [query, field, range] of cases) {
      const response = await example.fetch(`/events?${query}`);
      expect(response.status, query).toBe(400);
      expect(await response.text()).toBe(
        JSON.stringify({
          error: "invalid_query",
          message: `${field} must be a whole number ${range}.`,
          field,
        }),
      );
    }
    await expectNoOpenStreams(example);
  });

  it("answers a wrong method with 405 and Allow", async () => {
    const response = await example.fetch("/events", { method: "DELETE" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });
});
