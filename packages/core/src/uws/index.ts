export type { UwsBodyPrelude } from "./body.ts";
export {
  createUwsBridge,
  type UwsBridge,
  type UwsBridgeOptions,
  type UwsHandoff,
  type UwsListening,
} from "./bridge.ts";
export type { UwsCloser } from "./graceful.ts";
export { createRequestHead, headerValue, readRequestHead, type UwsRequestHead } from "./head.ts";
export { listenUws, urlHost } from "./listen.ts";
export { tlsRejected, type UwsTlsFiles, withTlsFiles } from "./tls.ts";
export type { UwsHttpRequest, UwsHttpResponse, UwsListenSocket, UwsRecognizedString } from "./types.ts";
export { uwsUnsupported } from "./unsupported.ts";
