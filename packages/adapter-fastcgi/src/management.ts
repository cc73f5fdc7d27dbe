import { decodeParams, encodeParams } from "./params.ts";
import { encodeRecord, GET_VALUES, GET_VALUES_RESULT, UNKNOWN_TYPE } from "./records.ts";

/** What FCGI_GET_VALUES learns: requests may share a connection; no limits of our own. */
const VALUES: Record<string, string> = { FCGI_MPXS_CONNS: "1" };

/**
 * The answer to a management record (request id 0, FastCGI 1.0 §4): FCGI_GET_VALUES_RESULT with
 * the values asked for that we know, FCGI_UNKNOWN_TYPE for any other type.
 */
export function managementReply(type: number, content: Buffer): Buffer {
  if (type === GET_VALUES) {
    const answer: Record<string, string> = {};
    for (const name in decodeParams(content)) if (name in VALUES) answer[name] = VALUES[name];
    return encodeRecord(GET_VALUES_RESULT, 0, encodeParams(answer));
  }
  const body = Buffer.alloc(8);
  body[0] = type;
  return encodeRecord(UNKNOWN_TYPE, 0, body);
}
