/** A script, never a log file or a metrics path: `anyserver serve -l app.ts` means stdout, then the entry. */
const SCRIPT = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** Flags whose value may be left out, what they take as their value, and the value when they do not. */
const OPTIONAL = new Map<string, { long: string; takes: (next: string) => boolean; fallback: string }>([
  [
    "-l",
    {
      long: "--log",
      takes: (next) => next === "-" || (!next.startsWith("-") && !SCRIPT.test(next)),
      fallback: "-",
    },
  ],
  [
    "--log",
    {
      long: "--log",
      takes: (next) => next === "-" || (!next.startsWith("-") && !SCRIPT.test(next)),
      fallback: "-",
    },
  ],
  [
    "--metrics",
    { long: "--metrics", takes: (next) => next.startsWith("/") && !SCRIPT.test(next), fallback: "/metrics" },
  ],
]);

/**
 * parseArgs has no optional values: give `-l` (stdout) and `--metrics` (/metrics) their default
 * when the next word is not theirs — another option, an entry script, or nothing.
 */
export function withOptionalValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      out.push(...argv.slice(i));
      break;
    }
    const rule = OPTIONAL.get(arg);
    if (!rule) out.push(arg);
    else if (i + 1 < argv.length && rule.takes(argv[i + 1])) out.push(`${rule.long}=${argv[++i]}`);
    else out.push(`${rule.long}=${rule.fallback}`);
  }
  return out;
}
