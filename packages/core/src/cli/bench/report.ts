import type { LoadFigures } from "./load.ts";

/** One server's line in the comparison. */
export interface BenchRow {
  server: string;
  status: "measured" | "missing" | "failed" | "interrupted";
  /** The install command (missing), the one-line reason (failed), or the signal (interrupted). */
  note?: string;
  figures?: LoadFigures;
  rssMiB?: number;
}

const num = (n: number | undefined, digits = 0) =>
  n === undefined || !Number.isFinite(n) ? "-" : n.toFixed(digits);

/** autocannon's latencies are whole milliseconds: 0 means under one, not zero. */
const latency = (ms: number | undefined) => (ms === 0 ? "<1" : num(ms));

/** Measured servers fastest first, then the ones that did not run. */
export function sortRows(rows: BenchRow[]): BenchRow[] {
  const speed = (row: BenchRow) => row.figures?.requestsPerSecond ?? -1;
  return [...rows].sort((a, b) => speed(b) - speed(a));
}

/** The terminal table: req/s, latency, errors (flagged), RSS. */
export function formatTable(rows: BenchRow[]): string {
  const header = ["server", "req/s", "p50 ms", "p99 ms", "errors", "non-2xx", "RSS MiB", ""];
  const lines = sortRows(rows).map((row) => {
    const f = row.figures;
    const flag = f && (f.errors > 0 || f.non2xx > 0) ? "!! errors" : "";
    return [
      row.server,
      num(f?.requestsPerSecond),
      latency(f?.p50Ms),
      latency(f?.p99Ms),
      num(f?.errors),
      num(f?.non2xx),
      num(row.rssMiB, 1),
      row.status === "measured" ? flag : `${row.status}: ${row.note}`,
    ];
  });
  const all = [header, ...lines];
  const widths = header.map((_, i) => Math.max(...all.map((cells) => cells[i].length)));
  return all
    .map((cells) =>
      cells
        .map((cell, i) =>
          i === 0 || i === cells.length - 1 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]),
        )
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

/** A self-contained HTML report: a bar chart of req/s (inline SVG, no scripts, no CDN) and the table. */
export function formatHtml(rows: BenchRow[], title: string): string {
  const measured = sortRows(rows).filter((row) => row.figures);
  const max = Math.max(1, ...measured.map((row) => row.figures!.requestsPerSecond));
  const barHeight = 28;
  const bars = measured
    .map((row, i) => {
      const width = Math.round((row.figures!.requestsPerSecond / max) * 560);
      const y = i * (barHeight + 8);
      const color = row.figures!.errors + row.figures!.non2xx > 0 ? "#d9534f" : "#3b82f6";
      return `<text x="0" y="${y + 19}" font-size="14">${escapeHtml(row.server)}</text><rect x="140" y="${y}" width="${width}" height="${barHeight}" fill="${color}"/><text x="${146 + width}" y="${y + 19}" font-size="13">${num(row.figures!.requestsPerSecond)} req/s</text>`;
    })
    .join("\n");
  const height = Math.max(1, measured.length) * (barHeight + 8);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem;color:#111}pre{background:#f4f4f5;padding:1rem;overflow:auto}</style></head>
<body><h1>${escapeHtml(title)}</h1>
<svg xmlns="http://www.w3.org/2000/svg" width="800" height="${height}" role="img" aria-label="requests per second by server">
${bars}
</svg>
<pre>${escapeHtml(formatTable(rows))}</pre>
</body></html>
`;
}
