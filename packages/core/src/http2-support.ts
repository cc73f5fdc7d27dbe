import { AnyserverError } from "./errors.ts";
import type { Adapter, ServeOptions } from "./types.ts";

/** Refuse `http2` where it cannot be served, in one line that says what to do. */
export function assertHttp2Support(adapter: Adapter<any>, options: ServeOptions): void {
  if (!options.http2) return;
  if (!adapter.http2) {
    const reason = adapter.unsupported?.http2;
    throw new AnyserverError(
      `Server "${adapter.name}" does not serve HTTP/2 through anyserver${reason ? ` (${reason})` : ""}. Drop --http2, or use -s node.`,
    );
  }
  if (!options.tls) {
    throw new AnyserverError(
      "HTTP/2 needs TLS (browsers speak it only over HTTPS): add --tls-cert FILE and --tls-key FILE.",
    );
  }
}
