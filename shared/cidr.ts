import ipaddr from "ipaddr.js";

/** A parsed CIDR block. Plain data; `text` is the block as it was given. */
export interface Cidr {
  text: string;
  family: "ipv4" | "ipv6";
  prefix: number;
  network: ipaddr.IPv4 | ipaddr.IPv6;
}

export type CidrParseResult = { ok: true; cidr: Cidr } | { ok: false; reason: string };

/**
 * Parses a CIDR block strictly: IPv4 must be four-part decimal, and no host bits may be set
 * (AWS rejects `10.0.0.1/16`, so accepting it here would plan routes AWS refuses).
 */
export function parseCidr(text: string): CidrParseResult {
  // The prefix check rejects spellings such as `/08` that ipaddr.js would accept.
  if (!ipaddr.isValidCIDR(text) || !/\/(0|[1-9]\d{0,2})$/.test(text)) {
    return { ok: false, reason: `not a CIDR block: '${text}'` };
  }
  const [address, prefix] = ipaddr.parseCIDR(text);
  const family = address.kind();
  if (family === "ipv4" && !ipaddr.IPv4.isValidFourPartDecimal(text.slice(0, text.lastIndexOf("/")))) {
    return { ok: false, reason: `not a four-part IPv4 CIDR block: '${text}'` };
  }
  const network =
    family === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(text) : ipaddr.IPv6.networkAddressFromCIDR(text);
  if (network.toString() !== address.toString()) {
    return { ok: false, reason: `host bits set in '${text}' (network is ${network.toString()}/${prefix})` };
  }
  return { ok: true, cidr: { text, family, prefix, network } };
}

export function isCidr(text: string): boolean {
  return parseCidr(text).ok;
}

/** Parses a CIDR block that is already known to be valid (validated policy, EC2 API output). */
export function toCidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new TypeError(parsed.reason);
  return parsed.cidr;
}

/** True when every address of `inner` lies inside `outer`. */
export function contains(outer: string, inner: string): boolean {
  const a = toCidr(outer);
  const b = toCidr(inner);
  return a.family === b.family && a.prefix <= b.prefix && b.network.match(a.network, a.prefix);
}

/** True when the two blocks share at least one address (CIDR blocks either nest or are disjoint). */
export function overlaps(a: string, b: string): boolean {
  return contains(a, b) || contains(b, a);
}

export function isIpv6(text: string): boolean {
  return toCidr(text).family === "ipv6";
}

export function prefixLength(text: string): number {
  return toCidr(text).prefix;
}

/** Same block, whatever the spelling (`fd00:16::/32` equals `fd00:0016:0::/32`). */
export function sameCidr(a: string, b: string): boolean {
  const x = toCidr(a);
  const y = toCidr(b);
  // The network's text tells the families apart: an IPv6 address always prints with a colon.
  return x.prefix === y.prefix && x.network.toString() === y.network.toString();
}

/** One spelling per block, so that blocks can be compared as text (`FD00:10:0::/64` is `fd00:10::/64`). */
export function canonicalCidr(text: string): string {
  const { network, prefix } = toCidr(text);
  return `${network.kind() === "ipv6" ? (network as ipaddr.IPv6).toRFC5952String() : network.toString()}/${prefix}`;
}
