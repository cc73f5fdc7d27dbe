export { consoleToStderr } from "./console.ts";
export { CgiRequestContext } from "./context.ts";
export { type CgiExchange, type CgiHandler, type CgiHandlerOptions, createCgiHandler } from "./handler.ts";
export { type CgiParams, CgiRequest, type CgiRequestInit, requestTarget, requestUrl } from "./request.ts";
export { BodyFailedError, type CgiOutput, type CgiResponseOptions, writeCgiResponse } from "./response.ts";
