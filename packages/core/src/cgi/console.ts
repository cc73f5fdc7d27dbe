const TO_STDOUT = ["log", "info", "debug", "dir", "dirxml", "table"] as const;
let redirected = false;

/**
 * stdout carries the HTTP response of a CGI program, so a stray `console.log` would corrupt it:
 * send the console's stdout methods to stderr, which the web server keeps in its error log.
 */
export function consoleToStderr(): void {
  if (redirected) return;
  redirected = true;
  const error = console.error.bind(console);
  for (const method of TO_STDOUT) console[method] = (...args: unknown[]) => error(...args);
}
