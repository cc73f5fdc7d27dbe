import { fastResponseParts } from "./fast-response.ts";

/** A `Response` taken apart for writing: what every bridge needs, read in one pass. */
export interface ResponseParts {
  status: number;
  statusText: string;
  /**
   * `[name, value, name, value, …]` as `writeHead` takes, each Set-Cookie apart; for a
   * string or bytes body, Content-Length is filled in when the app did not set it.
   */
  headers: string[];
  /** The whole body when it is a string or bytes not yet read, null for none, else the stream to pump. */
  body: string | Uint8Array | null | ReadableStream<Uint8Array>;
}

/** How to read Node's own (undici) `Response` state; null where this Node's differs. */
export interface UndiciLayout {
  state: symbol;
  headersMap: symbol;
}

interface UndiciState {
  status: number;
  statusText: string;
  headersList: Record<symbol, Map<string, { value: string }>> & { cookies: string[] | null };
  body: { source: unknown; stream: ReadableStream<Uint8Array> | null } | null | undefined;
}

/** What `Readable.isDisturbed` reads: true once a web stream was read or cancelled. */
const DISTURBED = Symbol.for("nodejs.stream.disturbed");

/**
 * Node's `Response` keeps status, headers and the string or bytes it was built from in an
 * internal state slot. Reading that slot skips the getters' brand checks, the sorted copy
 * of the headers and the stream checks: most of the bridge's cost for a global `Response`.
 * The layout is found by probing (never assumed) and used only if it reads a probe exactly
 * as the standard getters do, so another Node version falls back to the standard path.
 */
export const undiciLayout: UndiciLayout | null = probeUndiciLayout();

/** Status, headers and body of `response`: FastResponse's own parts, undici's state, or the standard getters. */
export function responseParts(response: Response, layout: UndiciLayout | null = undiciLayout): ResponseParts {
  const fast = fastResponseParts(response);
  if (fast) return fast;
  return (layout && readUndiciState(response, layout)) ?? readStandard(response);
}

/**
 * The body of a `Response` when it is a plain string or bytes not yet read, else undefined
 * (always undefined where Node's layout is unknown: such bodies are then streamed).
 */
export function simpleBody(
  response: Response,
  layout: UndiciLayout | null = undiciLayout,
): string | Uint8Array | undefined {
  const body = layout && stateOf(response, layout)?.body;
  return body ? unreadSource(body) : undefined;
}

function readUndiciState(response: Response, layout: UndiciLayout): ResponseParts | undefined {
  const state = stateOf(response, layout);
  if (state === undefined) return undefined;
  const headers = undiciHeaders(state.headersList, layout);
  const body = state.body == null ? null : (unreadSource(state.body) ?? response.body);
  addLength(headers, body);
  return { status: state.status, statusText: state.statusText, headers, body };
}

/** undici keeps one entry per lower-case name (repeated values joined) and Set-Cookie values apart. */
function undiciHeaders(list: UndiciState["headersList"], layout: UndiciLayout): string[] {
  const headers: string[] = [];
  for (const [name, { value }] of list[layout.headersMap]) {
    if (name === "set-cookie") for (const cookie of list.cookies ?? [value]) headers.push(name, cookie);
    else headers.push(name, value);
  }
  return headers;
}

function readStandard(response: Response): ResponseParts {
  const headers: string[] = [];
  for (const [name, value] of response.headers) headers.push(name, value);
  return { status: response.status, statusText: response.statusText, headers, body: response.body };
}

/** Content-Length for a whole body, unless the app set it (names are lower-case here). */
function addLength(headers: string[], body: ResponseParts["body"]): void {
  if (body === null || body instanceof ReadableStream) return;
  for (let i = 0; i < headers.length; i += 2) if (headers[i] === "content-length") return;
  headers.push(
    "content-length",
    String(typeof body === "string" ? Buffer.byteLength(body) : body.byteLength),
  );
}

function stateOf(response: Response, layout: UndiciLayout): UndiciState | undefined {
  const state = (response as unknown as Record<symbol, UndiciState | undefined>)[layout.state];
  return state?.headersList?.[layout.headersMap] instanceof Map ? state : undefined;
}

/** The state body's string or bytes if its stream was neither read, locked nor cancelled. */
function unreadSource(body: NonNullable<UndiciState["body"]>): string | Uint8Array | undefined {
  const source = body.source;
  if (typeof source !== "string" && !(source instanceof Uint8Array)) return undefined;
  const stream = body.stream as (ReadableStream & Record<symbol, unknown>) | null;
  return stream?.locked || stream?.[DISTURBED] ? undefined : source;
}

function probeUndiciLayout(): UndiciLayout | null {
  try {
    const probe = new Response("probe", {
      status: 201,
      statusText: "Made",
      headers: [
        ["X-Probe", "1"],
        ["Set-Cookie", "a=1"],
        ["set-cookie", "b=2"],
        ["x-probe", "2"],
      ],
    });
    const record = probe as unknown as Record<symbol, any>;
    const state = Object.getOwnPropertySymbols(probe).find((symbol) => record[symbol]?.headersList);
    if (state === undefined) return null;
    const list = record[state].headersList;
    const headersMap = Object.getOwnPropertySymbols(list).find((symbol) => list[symbol] instanceof Map);
    if (headersMap === undefined) return null;
    const layout = { state, headersMap };
    const cancelled = new Response("cancelled");
    cancelled.body?.cancel();
    const fast = readUndiciState(probe, layout);
    const standard = readStandard(probe);
    const same =
      fast !== undefined &&
      fast.status === standard.status &&
      fast.statusText === standard.statusText &&
      fast.body === "probe" &&
      pairs(fast.headers) === pairs([...standard.headers, "content-length", "5"]) &&
      typeof (cancelled.body as unknown as Record<symbol, unknown>)[DISTURBED] === "boolean" &&
      simpleBody(cancelled, layout) === undefined;
    return same ? layout : null;
  } catch {
    return null;
  }
}

/** A flat header list as sorted `name: value` lines, to compare two lists regardless of order. */
function pairs(headers: string[]): string {
  const lines: string[] = [];
  for (let i = 0; i < headers.length; i += 2) lines.push(`${headers[i]}: ${headers[i + 1]}`);
  return lines.sort().join("\n");
}
