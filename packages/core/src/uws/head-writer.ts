import { STATUS_CODES } from "node:http";
import { isHeaderName } from "../header-name.ts";
import type { UwsHttpResponse } from "./types.ts";

const statusLines = new Map<number, string>();

/** `"200 OK"`: the app's status text, else node:http's, cached per code. */
export function statusLine(status: number, statusText: string): string {
  if (statusText) return `${status} ${statusText}`;
  let line = statusLines.get(status);
  if (line === undefined) {
    line = `${status} ${STATUS_CODES[status] ?? "unknown"}`;
    statusLines.set(status, line);
  }
  return line;
}

/** Write the status line, unless it is uWS's own default ("200 OK"): one call into uWS fewer per request. */
export function writeStatus(res: UwsHttpResponse, status: number, statusText: string): void {
  if (status !== 200 || (statusText !== "" && statusText !== "OK"))
    res.writeStatus(statusLine(status, statusText));
}

/** Statuses that never carry a body. */
export function isBodiless(status: number): boolean {
  return status === 204 || status === 304 || (status >= 100 && status < 200);
}

/**
 * Write the app's headers (`[name, value, …]`) to uWS, except the ones uWS writes itself:
 * Content-Length and Transfer-Encoding come from how the body is sent, Date is always
 * added by uWS, and Connection is uWS's. `extra` headers (set by middleware in front of the
 * app) go first, unless the app sets the same name; each Set-Cookie is kept.
 * Returns whether the app asked to close the connection.
 */
export function writeHeaders(
  res: UwsHttpResponse,
  headers: readonly string[],
  extra?: readonly string[],
): boolean {
  if (extra) writeExtraHeaders(res, headers, extra);
  let close = false;
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i];
    if (isHeaderName(name, "connection")) close ||= /\bclose\b/i.test(headers[i + 1]);
    else if (!writtenByUws(name)) res.writeHeader(name, headers[i + 1]);
  }
  return close;
}

function writeExtraHeaders(res: UwsHttpResponse, headers: readonly string[], extra: readonly string[]): void {
  for (let i = 0; i < extra.length; i += 2) {
    const name = extra[i].toLowerCase();
    if (name === "connection" || writtenByUws(name)) continue;
    if (name === "set-cookie" || !hasHeader(headers, name)) res.writeHeader(extra[i], extra[i + 1]);
  }
}

function hasHeader(headers: readonly string[], name: string): boolean {
  for (let i = 0; i < headers.length; i += 2) {
    if (isHeaderName(headers[i], name)) return true;
  }
  return false;
}

/** Headers uWS writes itself, from how the body is sent (and Date): the app's would be duplicates. */
function writtenByUws(name: string): boolean {
  return (
    isHeaderName(name, "content-length") ||
    isHeaderName(name, "transfer-encoding") ||
    isHeaderName(name, "date")
  );
}

/** The app's Content-Length, or -1 without a valid one. */
export function declaredLength(headers: readonly string[]): number {
  for (let i = 0; i < headers.length; i += 2) {
    if (isHeaderName(headers[i], "content-length")) {
      const value = headers[i + 1].trim();
      return /^\d+$/.test(value) ? Number(value) : -1;
    }
  }
  return -1;
}
