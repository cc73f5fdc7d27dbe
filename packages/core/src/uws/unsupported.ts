/**
 * Conformance cases uWebSockets.js 20.30 (the build that runs on glibc 2.36) cannot pass,
 * by case id, with the reason, and `http2`: what every uWS-based adapter declares.
 */
export const uwsUnsupported: Readonly<Record<string, string>> = {
  http2: "uWebSockets.js serves HTTP/1.1 only",
  "context-remote-port": "uWebSockets.js 20.30 does not expose the client's port",
  http10: "uWebSockets.js 20.30 does not answer HTTP/1.0 requests",
  "malformed-request-line":
    "uWebSockets.js 20.30 closes the connection on an unparsable request line without a 4xx",
  "malformed-header": "uWebSockets.js 20.30 closes the connection on an unparsable header line without a 4xx",
  "malformed-content-length":
    "uWebSockets.js 20.30 closes the connection on a non-numeric Content-Length without a 4xx (conflicting lengths get 400)",
  "stream-headers-before-body":
    "uWebSockets.js 20.30 sends a chunked response's head together with its first chunk; an empty write does not flush it",
};
