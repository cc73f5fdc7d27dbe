import { describe, expect, it } from "vitest";
import { FastResponse } from "../../src/fast-response.ts";
import type { RequestRecord } from "../../src/observe/record.ts";
import { watch } from "../../src/observe/wrap.ts";
import type { RequestContext } from "../../src/types.ts";

const context: RequestContext = {
  remoteAddress: "127.0.0.1",
  remotePort: 1,
  adapter: "test",
  native: undefined,
  waitUntil() {},
};

describe("watch (the wrapper behind -l, --metrics and -P)", () => {
  it("records a 500 when reading the app's response throws, and passes the error on", async () => {
    const records: RequestRecord[] = [];
    // A FastResponse over a stream becomes a real Response when read: that is where bad headers throw.
    const app = () =>
      new FastResponse(new ReadableStream(), { headers: { "x-bad": "a\r\nb" } }) as unknown as Response;
    const handler = watch(app, {
      accessLog: { write: (record) => records.push(record), reopen() {}, close() {} },
    });
    const asyncHandler = watch(async () => app(), {
      accessLog: { write: (record) => records.push(record), reopen() {}, close() {} },
    });
    expect(() => handler(new Request("http://localhost/sync"), context)).toThrow(TypeError);
    await expect(asyncHandler(new Request("http://localhost/async"), context)).rejects.toThrow(TypeError);
    expect(records.map((record) => [record.target, record.status])).toEqual([
      ["/sync", 500],
      ["/async", 500],
    ]);
  });
});
