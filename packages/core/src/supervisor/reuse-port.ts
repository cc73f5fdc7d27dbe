import { readFileSync } from "node:fs";

const MIGRATE_SETTING = "/proc/sys/net/ipv4/tcp_migrate_req";

/**
 * Workers that each listen with SO_REUSEPORT lose the connections still queued on a listener
 * when it closes (reload, recycling, SIGTTOU): Linux resets them unless `tcp_migrate_req` hands
 * them to another listener of the port. The line to warn with, or undefined when they are safe.
 */
export function reusePortWarning(server: string): string | undefined {
  let setting: string;
  try {
    setting = readFileSync(MIGRATE_SETTING, "utf8").trim();
  } catch {
    // Before Linux 5.14 the setting does not exist and queued connections are always reset.
    setting = "missing";
  }
  if (setting === "1") return undefined;
  return `-s ${server} workers share the port with SO_REUSEPORT, and Linux resets connections still queued on a worker that stops listening (reload, recycling, SIGTTOU): set net.ipv4.tcp_migrate_req=1 (sysctl, Linux 5.14+) so they go to another worker instead`;
}
