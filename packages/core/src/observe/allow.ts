import { BlockList, isIP } from "node:net";
import { AnyserverError } from "../errors.ts";

/** Decides which clients may see an endpoint: loopback always, plus the addresses it was given. */
export interface ClientFilter {
  allows(address: string | undefined): boolean;
}

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** Who may see an endpoint besides loopback: addresses and CIDR ranges, or `"any"`. */
export type AllowList = readonly string[] | "any";

/**
 * A filter from an allow list (`10.0.0.0/8`, `192.168.1.7`, `fd00::/8`…); loopback is always
 * allowed. A bad entry throws a one-line error naming `label` (the flag or option).
 */
export function clientFilter(list: AllowList | undefined, label: string): ClientFilter {
  if (list === "any") return { allows: () => true };
  const allowed = new BlockList();
  for (const entry of list ?? []) {
    const [address, bits, extra] = entry.split("/");
    const family = isIP(address);
    const prefix = bits === undefined ? undefined : Number(bits);
    const validPrefix =
      prefix === undefined ||
      (Number.isInteger(prefix) && prefix >= 0 && prefix <= (family === 6 ? 128 : 32));
    if (family === 0 || extra !== undefined || !validPrefix) {
      throw new AnyserverError(
        `Invalid ${label} entry "${entry}": use IP addresses or CIDR ranges separated by commas (10.0.0.0/8,192.168.1.7), or any.`,
      );
    }
    const type = family === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) allowed.addAddress(address, type);
    else allowed.addSubnet(address, prefix, type);
  }
  return {
    allows: (address) => address !== undefined && (matches(loopback, address) || matches(allowed, address)),
  };
}

function matches(list: BlockList, address: string): boolean {
  // Dual-stack sockets report IPv4 clients as ::ffff:a.b.c.d.
  const plain = address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  const family = isIP(plain);
  return family !== 0 && list.check(plain, family === 6 ? "ipv6" : "ipv4");
}

/**
 * The addresses an endpoint must allow: the client's own, and with trust-proxy every hop of
 * `X-Forwarded-For` — a proxy appends the real client, so a forged first entry ("127.0.0.1")
 * cannot make a remote client look local.
 */
export function clientAddresses(
  remoteAddress: string | undefined,
  forwardedFor: string | null,
  trustProxy: boolean,
): (string | undefined)[] {
  if (!trustProxy || !forwardedFor) return [remoteAddress];
  return forwardedFor.split(",").map((hop) => hop.trim() || undefined);
}
