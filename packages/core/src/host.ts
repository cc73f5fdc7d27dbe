/** A host name, IPv4 or [IPv6] literal with an optional port: what a URL's authority can hold. */
const VALID_HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~%!$&'()*+,;=]+)(?::\d{1,5})?$/;

/** Whether a Host header can make a request URL; every bridge answers 400 when it cannot. */
export function isValidHost(host: string): boolean {
  // Nearly every request of a server carries the same Host: remember the last one that passed.
  if (host === lastValidHost) return true;
  if (!VALID_HOST.test(host)) return false;
  lastValidHost = host;
  return true;
}

let lastValidHost = "";
