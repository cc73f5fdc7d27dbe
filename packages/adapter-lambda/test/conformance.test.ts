import { describeAdapter } from "@anyserver/adapter-test-suite";
import lambdaAdapter from "../src/index.ts";

// The conformance suite through `-s lambda` in its default, buffered mode: each request becomes a
// Function URL event for lambda(app) and its result the HTTP response, so every case crosses the
// same translation as on AWS. What a buffered invocation cannot do is declared with the reason;
// the streaming ones are proven with `streaming: true` in runtime.test.ts and emulator.test.ts.
const buffered =
  "a buffered invocation returns the whole response at once (lambda(app, { streaming: true }) streams)";

describeAdapter(lambdaAdapter, {
  unsupported: {
    "status-text-custom":
      "API Gateway and Function URL results carry no reason phrase (only ALB statusDescription)",
    "context-remote-port": "Lambda events carry the client's address but not its port",
    "upload-large": "Lambda takes request payloads up to 6 MB",
    "upload-streamed": "Lambda delivers the request body whole, inside the event",
    "client-abort-signal": "AWS does not tell a buffered invocation that the client left",
    "client-gone-cancels-late-stream": "AWS does not tell a buffered invocation that the client left",
    "close-waits-wait-until":
      "Lambda freezes the process when the handler returns, so a buffered response waits for waitUntil work",
    "error-stream-midway": "a body that fails before the buffered result is returned becomes a clean 500",
    backpressure: buffered,
    "client-abort-cancels-stream": buffered,
    "stream-headers-before-body": buffered,
    sse: buffered,
    "close-streaming-keepalive": buffered,
  },
});
