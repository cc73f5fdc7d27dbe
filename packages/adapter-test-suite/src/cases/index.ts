import type { ConformanceCase } from "../case.ts";
import { connectionCases } from "./connections.ts";
import { contextCases } from "./context.ts";
import { errorCases } from "./errors.ts";
import { gracefulCases } from "./graceful.ts";
import { headCases } from "./head.ts";
import { headerCases } from "./headers.ts";
import { http2Cases } from "./http2.ts";
import { malformedCases } from "./malformed.ts";
import { methodCases } from "./methods.ts";
import { requestBodyCases } from "./request-bodies.ts";
import { responseBodyCases } from "./response-bodies.ts";
import { statusCases } from "./status.ts";
import { streamingCases } from "./streaming.ts";
import { urlCases } from "./urls.ts";
import { websocketCases } from "./websocket.ts";

/** Every case, in the order they run and appear in the compatibility table. */
export const allCases: readonly ConformanceCase[] = [
  ...methodCases,
  ...headCases,
  ...statusCases,
  ...headerCases,
  ...urlCases,
  ...contextCases,
  ...requestBodyCases,
  ...responseBodyCases,
  ...streamingCases,
  ...connectionCases,
  ...errorCases,
  ...malformedCases,
  ...gracefulCases,
  ...websocketCases,
  ...http2Cases,
];
