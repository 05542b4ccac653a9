import ipaddr from "ipaddr.js";

/** True when the text is a CIDR of the given family whose address is the network address. */
export function isNetworkCidr(cidr: string, family: "ipv4" | "ipv6"): boolean {
  if (!ipaddr.isValidCIDR(cidr)) return false;
  const [address] = ipaddr.parseCIDR(cidr);
  if (address.kind() !== family) return false;
  const network =
    family === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
  return network.toString() === address.toString();
}

export function cidrsOverlap(a: string, b: string): boolean {
  const rangeA = ipaddr.parseCIDR(a);
  const rangeB = ipaddr.parseCIDR(b);
  if (rangeA[0].kind() !== rangeB[0].kind()) return false;
  return rangeA[0].match(rangeB) || rangeB[0].match(rangeA);
}

/** True when every address of `inner` lies in `outer` (same family). */
export function cidrWithin(inner: string, outer: string): boolean {
  const [innerAddress, innerBits] = ipaddr.parseCIDR(inner);
  const outerRange = ipaddr.parseCIDR(outer);
  if (innerAddress.kind() !== outerRange[0].kind()) return false;
  return innerBits >= outerRange[1] && innerAddress.match(outerRange);
}

/** The prefix length of a CIDR. */
export function prefixLength(cidr: string): number {
  return ipaddr.parseCIDR(cidr)[1];
}

export function isIpv6Cidr(cidr: string): boolean {
  return cidr.includes(":");
}

/**
 * The block as AWS stores it: the network address (`100.68.0.18/18` → `100.68.0.0/18`), IPv6 in its
 * RFC 5952 form; undefined when the text is not a CIDR of that family.
 */
export function canonicalCidr(cidr: string, family: "ipv4" | "ipv6"): string | undefined {
  if (!ipaddr.isValidCIDR(cidr)) return undefined;
  const [address, bits] = ipaddr.parseCIDR(cidr);
  if (address.kind() !== family) return undefined;
  // ipaddr.js also reads forms AWS refuses (10.20.0, 0x0a.0.0.0): only dotted quads are IPv4 blocks here.
  if (family === "ipv4" && !ipaddr.IPv4.isValidFourPartDecimal(cidr.split("/")[0] ?? "")) return undefined;
  const network =
    family === "ipv4"
      ? ipaddr.IPv4.networkAddressFromCIDR(cidr).toString()
      : ipaddr.IPv6.networkAddressFromCIDR(cidr).toRFC5952String();
  return `${network}/${bits}`;
}
