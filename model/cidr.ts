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
