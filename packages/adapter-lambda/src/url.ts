/** Characters that stand for themselves in an encoded path; `%` only before two hex digits. */
const PATH_SAFE = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/;
const PATH_UNSAFE = /%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/gu;
const QUERY_SAFE = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;
const QUERY_UNSAFE = /%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/gu;
const HOST = /^[A-Za-z0-9.\-_]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;

/**
 * A path safe to put in a URL. Function URLs, REST APIs and ALBs pass the path still
 * percent-encoded (left as is); HTTP APIs pass it decoded, where a `?`, `#`, space or
 * bare `%` would change the URL's meaning, so those are escaped again.
 */
export function encodePath(path: string): string {
  const absolute = path.startsWith("/") ? path : `/${path}`;
  return PATH_SAFE.test(absolute) ? absolute : absolute.replace(PATH_UNSAFE, escapeChar);
}

/** A raw query string (HTTP API, Function URL, ALB) made safe to put in a URL. */
export function encodeRawQuery(query: string): string {
  return QUERY_SAFE.test(query) ? query : query.replace(QUERY_UNSAFE, escapeChar);
}

/** A query string from decoded parameters (API Gateway decodes them), repeated keys kept. */
export function queryFromDecoded(
  single: Record<string, string | undefined> | null | undefined,
  multi: Record<string, string[] | undefined> | null | undefined,
): string {
  return joinPairs(single, multi, encodeURIComponent);
}

/** A query string from parameters the ALB passes as the client sent them (not decoded). */
export function queryFromRaw(
  single: Record<string, string | undefined> | null | undefined,
  multi: Record<string, string[] | undefined> | null | undefined,
): string {
  return joinPairs(single, multi, encodeRawQuery);
}

function joinPairs(
  single: Record<string, string | undefined> | null | undefined,
  multi: Record<string, string[] | undefined> | null | undefined,
  encode: (part: string) => string,
): string {
  const pairs: string[] = [];
  if (multi) {
    for (const [key, values] of Object.entries(multi)) {
      for (const value of values ?? []) pairs.push(`${encode(key)}=${encode(value ?? "")}`);
    }
  } else if (single) {
    for (const [key, value] of Object.entries(single)) pairs.push(`${encode(key)}=${encode(value ?? "")}`);
  }
  return pairs.join("&");
}

/** Remove `basePath` from the front of `path` when it is there as whole segments. */
export function stripBasePath(path: string, basePath: string | undefined): string {
  if (!basePath || basePath === "/") return path;
  const base = basePath.endsWith("/") ? basePath.slice(0, -1) : basePath;
  if (path === base) return "/";
  return path.startsWith(`${base}/`) ? path.slice(base.length) : path;
}

/** The request URL: scheme from `X-Forwarded-Proto` (set by AWS), host from `Host`, then the domain name. */
export function requestUrl(
  headers: Headers,
  domainName: string | undefined,
  path: string,
  query: string,
): string {
  const proto = headers.get("x-forwarded-proto")?.split(",")[0].trim().toLowerCase();
  const scheme = proto === "http" ? "http" : "https";
  const host =
    [headers.get("host"), domainName].find((candidate) => candidate && HOST.test(candidate)) ?? "localhost";
  return `${scheme}://${host}${encodePath(path)}${query ? `?${encodeRawQuery(query)}` : ""}`;
}

function escapeChar(char: string): string {
  try {
    return encodeURIComponent(char);
  } catch {
    // A lone UTF-16 surrogate has no UTF-8 form: send the replacement character, as TextEncoder would.
    return "%EF%BF%BD";
  }
}
