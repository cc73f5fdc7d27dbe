import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { conformanceCases } from "../src/index.ts";

describe("README", () => {
  it("lists every case with its id and title", () => {
    const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
    // Table cells are padded by the formatter: compare rows with runs of spaces squeezed.
    const rows = readme.replace(/ +/g, " ");
    const missing = conformanceCases.filter(({ id, title }) => !rows.includes(`| \`${id}\` | ${title} |`));
    expect(missing.map((c) => c.id)).toEqual([]);
    expect(readme).toContain(`checks ${conformanceCases.length} behaviours`);
  });
});
