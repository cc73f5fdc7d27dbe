import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { batchingSink, fileSink } from "../../src/observe/log-sink.ts";

describe("log sink batches", () => {
  it("never exceeds the limit in bytes, even when lines hold multi-byte characters", () => {
    const sent: { text: string; bytes: number }[] = [];
    const sink = batchingSink(
      (text, bytes) => sent.push({ text, bytes }),
      (error) => {
        throw error;
      },
      100,
      () => {},
      () => {},
    );
    // 30 characters, 59 bytes: two of them are 60 characters but 118 bytes, over the limit.
    const line = `${"é".repeat(29)}\n`;
    sink.write(line);
    sink.write(line);
    sink.write(line);
    sink.close();
    expect(sent.map((batch) => batch.text)).toEqual([line, line, line]);
    expect(sent.map((batch) => batch.bytes)).toEqual([59, 59, 59]);
  });

  it("writes every queued line to the file, multi-byte characters whole", () => {
    const file = join(mkdtempSync(join(tmpdir(), "anyserver-sink-")), "access.log");
    const sink = fileSink(file, (error) => {
      throw error;
    });
    const lines = Array.from({ length: 2000 }, (_, i) => `line ${i} “quoted” ✓\n`);
    for (const line of lines) sink.write(line);
    sink.close();
    expect(readFileSync(file, "utf8")).toBe(lines.join(""));
  });
});
