export type Align = "left" | "center";

/** Columns a terminal or editor gives the text: emoji such as ✅ take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /\p{Emoji_Presentation}/u.test(char) ? 2 : 1;
  return width;
}

function pad(text: string, width: number, align: Align): string {
  const space = width - displayWidth(text);
  const left = align === "center" ? Math.floor(space / 2) : 0;
  return " ".repeat(left) + text + " ".repeat(space - left);
}

/** A Markdown table with padded columns, laid out as the repository's formatter (Biome) lays it out. */
export function markdownTable(header: string[], align: Align[], rows: string[][]): string[] {
  const widths = header.map((_, i) => Math.max(3, ...[header, ...rows].map((row) => displayWidth(row[i]))));
  const line = (cells: string[]) =>
    `| ${cells.map((text, i) => pad(text, widths[i], align[i])).join(" | ")} |`;
  const rule = widths.map((width, i) =>
    align[i] === "center" ? `:${"-".repeat(width - 2)}:` : "-".repeat(width),
  );
  return [line(header), `| ${rule.join(" | ")} |`, ...rows.map(line)];
}
