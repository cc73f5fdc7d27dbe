import { clfTime } from "./clock.ts";
import { escapeField } from "./escape.ts";
import type { RequestRecord } from "./record.ts";

/** The access log formats `--log-format` takes. */
export const LOG_FORMATS = ["combined", "common", "json"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

const pidField = ` pid=${process.pid}`;

/** Common Log Format: `host - - [time] "request" status bytes`, exactly as Apache writes it. */
export function commonLine(record: RequestRecord): string {
  const host = record.remote ? escapeField(record.remote) : "-";
  // Each part escaped alone: escaping the joined request line would first copy it flat. "-": none
  // (a request the parser refused before its request line was whole), as Apache writes it.
  const request = record.target
    ? `${escapeField(record.method)} ${escapeField(record.target)} ${escapeField(record.protocol)}`
    : "-";
  const bytes = record.bytes ? record.bytes : "-";
  return `${host} - - [${clfTime(record.time)}] "${request}" ${record.status} ${bytes}`;
}

/**
 * Combined Log Format (Apache/nginx) plus two appended fields, `rt=` (seconds, like nginx's
 * $request_time) and `pid=` (the worker): parsers of the combined format read the prefix and
 * ignore what follows the user-agent.
 */
export function combinedLine(record: RequestRecord): string {
  const referer = record.referer ? escapeField(record.referer) : "-";
  const agent = record.userAgent ? escapeField(record.userAgent) : "-";
  return `${commonLine(record)} "${referer}" "${agent}" rt=${seconds(record.durationMs)}${pidField}`;
}

/** Milliseconds as seconds with three decimals ("0.012"), without `toFixed`'s float formatting. */
function seconds(durationMs: number): string {
  const millis = Math.round(durationMs);
  const fraction = millis % 1000;
  return `${(millis - fraction) / 1000}${fraction < 10 ? ".00" : fraction < 100 ? ".0" : "."}${fraction}`;
}

/** The fields of a JSON access line (the logger adds level, time and pid). */
export function jsonFields(record: RequestRecord): Record<string, unknown> {
  return {
    type: "access",
    remote: record.remote ?? null,
    method: record.method || null,
    url: record.target || null,
    protocol: record.protocol || null,
    status: record.status,
    bytes: record.bytes ?? null,
    durationMs: Math.round(record.durationMs * 1000) / 1000,
    referer: record.referer,
    userAgent: record.userAgent,
    aborted: record.aborted,
  };
}
