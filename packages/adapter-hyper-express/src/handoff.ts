import { AnyserverError } from "@anyserver/core";
import {
  createRequestHead,
  readRequestHead,
  type UwsBodyPrelude,
  type UwsRequestHead,
} from "@anyserver/core/uws";
import type { Request, Response } from "hyper-express";

/** HyperExpress 6.17's body parser state: private fields, read here only (the version is pinned). */
interface BodyParserState {
  /** 0: nobody read the body yet; 1: HyperExpress read it (`request.json()`…); 2: streamed. */
  _body_parser_mode: number;
  /** Chunks received while nobody read them (copies, not uWS's memory). */
  _body_parser_buffered?: Uint8Array[] | null;
  _paused: boolean;
  received: boolean;
}

/**
 * The head the bridge needs. Straight from uWS's request while still in its handler (every
 * header line kept); after middleware awaited, uWS has freed it and HyperExpress's copy
 * (one value per header name) is what is left.
 */
export function requestHead(request: Request, maxHeaderSize: number): UwsRequestHead {
  try {
    return readRequestHead(request.raw, maxHeaderSize);
  } catch {
    const headers: string[] = [];
    for (const [name, value] of Object.entries(request.headers)) headers.push(name, value);
    const query = request.path_query;
    return createRequestHead(
      request.method,
      query ? `${request.path}?${query}` : request.path,
      headers,
      maxHeaderSize,
    );
  }
}

/** What HyperExpress's body parser took in before the app's route ran. */
export function bodyPrelude(request: Request): UwsBodyPrelude {
  const state = request as unknown as BodyParserState;
  if (state._body_parser_mode !== 0) {
    const message =
      "The request body was already read by HyperExpress middleware in front of the app (request.json(), request.text()…). Read it in the app instead, or keep that middleware off the app's paths";
    return {
      chunks: [],
      ended: true,
      paused: false,
      error: new AnyserverError(message, "BODY_ALREADY_READ"),
    };
  }
  return { chunks: state._body_parser_buffered ?? [], ended: state.received, paused: state._paused };
}

/** HyperExpress 6.17's pending response head: private fields, read here only. */
interface PendingHead {
  _headers: Record<string, string | string[]>;
  /** Serialized Set-Cookie values by cookie name. */
  _cookies?: Record<string, string>;
}

/** Headers and cookies middleware set with `response.header()` / `cookie()`, for the app's response. */
export function middlewareHeaders(response: Response): string[] | undefined {
  const { _headers: headers, _cookies: cookies } = response as unknown as PendingHead;
  const flat: string[] = [];
  for (const name in headers) {
    const values = headers[name];
    for (const value of Array.isArray(values) ? values : [values]) flat.push(name, value);
  }
  for (const name in cookies) flat.push("set-cookie", cookies[name]);
  return flat.length > 0 ? flat : undefined;
}
