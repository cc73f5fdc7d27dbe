export { notAResponse, toFetchHandler } from "./app.ts";
export { defineAdapter } from "./define-adapter.ts";
export { AnyserverError, listenError } from "./errors.ts";
export { FastResponse, type FastResponseParts, fastResponseParts, isResponse } from "./fast-response.ts";
export { isHeaderName } from "./header-name.ts";
export { bodyTooLarge, LazyRequest, limitBody } from "./lazy-request.ts";
export { appErrorLine, defaultLogger, errorLine, requestFailedLine, silentLogger } from "./logger.ts";
export { type NodeAdapterOptions, nodeAdapter } from "./node/adapter.ts";
export { createNodeBridge, type NodeBridge, type NodeBridgeOptions } from "./node/bridge.ts";
export { isConnectionSpecific, isHttp2 } from "./node/http2.ts";
export { createNodeServer, listenNodeServer } from "./node/listen.ts";
export { NodeRequest } from "./node/request.ts";
export { writeResponse } from "./node/response.ts";
export type { AllowList } from "./observe/allow.ts";
export type { LogFormat } from "./observe/formats.ts";
export { type Observed, type ObserveOptions, observe } from "./observe/observe.ts";
export { type ResolveAdapterOptions, resolveAdapter } from "./resolve-adapter.ts";
export { type ResponseParts, responseParts, simpleBody } from "./response-parts.ts";
export { type ServeWithOptions, serve } from "./serve.ts";
export { findKnownServer, type KnownServer, knownServers } from "./servers.ts";
export type {
  Adapter,
  App,
  FetchHandler,
  Logger,
  RequestContext,
  RunningServer,
  ServeOptions,
  TlsOptions,
} from "./types.ts";
export type {
  WebSocketHooks,
  WebSocketMessage,
  WebSocketOptions,
  WebSocketPeer,
  WebSocketUpgrade,
} from "./websocket/types.ts";
