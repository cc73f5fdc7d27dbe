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
export { notAResponse, toFetchHandler } from "./app.ts";
export { FastResponse, type FastResponseParts, fastResponseParts } from "./fast-response.ts";
export { defineAdapter } from "./define-adapter.ts";
export { AnyserverError, listenError } from "./errors.ts";
export { defaultLogger, errorLine, silentLogger } from "./logger.ts";
export { serve, type ServeWithOptions } from "./serve.ts";
export { resolveAdapter, type ResolveAdapterOptions } from "./resolve-adapter.ts";
export { knownServers, findKnownServer, type KnownServer } from "./servers.ts";
export { nodeAdapter, type NodeAdapterOptions } from "./node/adapter.ts";
export { createNodeBridge, type NodeBridge, type NodeBridgeOptions } from "./node/bridge.ts";
export { createNodeServer, listenNodeServer } from "./node/listen.ts";
export { NodeRequest } from "./node/request.ts";
export { simpleBody, writeResponse } from "./node/response.ts";
