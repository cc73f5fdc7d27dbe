/**
 * How the access log learns what a streamed body sent. Re-wrapping the app's stream in a second
 * ReadableStream to count it costs about as much per chunk as the server's own write, so the
 * writers of core's bridges (node, uWS) report what they send instead; bodies on other servers
 * are still counted by wrapping.
 */
export interface BodyReport {
  /** This chunk of the body went to the server (bytes, or a string an app's stream may yield). */
  sent(chunk: Uint8Array | string): void;
  /** The body is over: whole (`aborted` false), or cut short because the client left or the stream failed. */
  ended(aborted: boolean): void;
}

/** True on a `RequestContext` whose server writes streamed bodies through `reportOf`. */
export const REPORTS_BODIES = Symbol("anyserver.reportsBodies");

const reports = new WeakMap<ReadableStream, BodyReport>();

/** Ask the writer of `body` to report to `report`. */
export function expectReport(body: ReadableStream, report: BodyReport): void {
  reports.set(body, report);
}

/** What a writer about to send `body` reports to, if anything watches it. */
export function reportOf(body: ReadableStream): BodyReport | undefined {
  return reports.get(body);
}

/** Whether this request's server reports its streamed bodies (see `REPORTS_BODIES`). */
export function reportsBodies(context: object): boolean {
  return (context as { [REPORTS_BODIES]?: boolean })[REPORTS_BODIES] === true;
}

/** A streamed body that will never be sent: its report hears it was cut, the app's stream is cancelled. */
export function discardBody(body: ReadableStream): void {
  reportOf(body)?.ended(true);
  body.cancel().catch(() => {});
}
