import { createServer } from "node:net";
import { listenError } from "../errors.ts";

/**
 * Check that `host:port` can be bound before any worker starts (a port in use is one clear
 * line, not a crash loop), and turn port 0 into one real port every worker shares.
 */
export function reservePort(host: string, port: number): Promise<number> {
  const probe = createServer();
  return new Promise((resolve, reject) => {
    probe.once("error", (error) => reject(listenError(error, host, port)));
    probe.listen(port, host, () => {
      const bound = (probe.address() as { port: number }).port;
      probe.close(() => resolve(bound));
    });
  });
}
