type SingleHeaders = Record<string, string | undefined> | null | undefined;
type MultiHeaders = Record<string, string[] | undefined> | null | undefined;

/**
 * Request headers from an event: the multi-value map when the event has one (it holds every
 * value), else the single-value map. Several `Cookie` values join with "; " as RFC 6265
 * requires (`Headers.append` would join them with ", ").
 */
export function requestHeaders(single: SingleHeaders, multi: MultiHeaders, cookies?: string[]): Headers {
  const headers = new Headers();
  const cookieParts: string[] = [];
  if (multi) {
    for (const [name, values] of Object.entries(multi)) {
      if (!values) continue;
      if (name.toLowerCase() === "cookie") cookieParts.push(...values);
      else for (const value of values) headers.append(name, value);
    }
  } else if (single) {
    for (const [name, value] of Object.entries(single)) {
      if (value === undefined || value === null) continue;
      if (name.toLowerCase() === "cookie") cookieParts.push(value);
      else headers.append(name, value);
    }
  }
  // Payload 2.0 moves cookies out of the headers into their own array.
  if (cookies) cookieParts.push(...cookies);
  if (cookieParts.length > 0) headers.set("cookie", cookieParts.join("; "));
  return headers;
}

/** A response's headers split for the results: every header but Set-Cookie, and the cookies. */
export function responseHeaders(headers: Headers): { fields: [string, string][]; cookies: string[] } {
  const fields: [string, string][] = [];
  for (const [name, value] of headers) if (name !== "set-cookie") fields.push([name, value]);
  return { fields, cookies: headers.getSetCookie() };
}

/** The client address: the first `X-Forwarded-For` entry when trusted, else what the source saw. */
export function forwardedFor(headers: Headers, which: "first" | "last"): string | undefined {
  const entries = headers.get("x-forwarded-for")?.split(",");
  const entry = which === "first" ? entries?.[0] : entries?.[entries.length - 1];
  return entry?.trim() || undefined;
}
