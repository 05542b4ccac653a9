import { canonicalCidr, isCidr } from "../cidr";
import type { IngressRule } from "../facts";

/** The tag that marks a security-group rule as the service's own, with the connection it was made for. */
export const CONNECTION_TAG = "peering-autopilot:connection";

// EC2 takes a protocol by name or number and shows the four it knows by name.
const PROTOCOL_NAMES: Record<string, string> = { "1": "icmp", "6": "tcp", "17": "udp", "58": "icmpv6" };
const WITH_PORTS = new Set(["tcp", "udp"]);

/** A protocol as EC2 shows it: by name when it has one, `-1` for all traffic, else its number. */
export function canonicalProtocol(protocol: string): string {
  const lower = protocol.toLowerCase();
  if (lower === "all") return "-1";
  return PROTOCOL_NAMES[lower] ?? lower;
}

/**
 * What makes two ingress rules the same for EC2: protocol, ports and source. A protocol without ports
 * (all traffic; ICMP, every type) compares as -1 to -1, however the ports were given.
 */
export function ruleKey(rule: IngressRule): string {
  const protocol = canonicalProtocol(rule.protocol);
  const ports =
    WITH_PORTS.has(protocol) || protocol.startsWith("icmp") ? `${rule.fromPort}-${rule.toPort}` : "-1--1";
  const source =
    rule.cidr !== undefined && isCidr(rule.cidr) ? canonicalCidr(rule.cidr) : `other:${rule.cidr ?? ""}`;
  return `${protocol} ${ports} ${source}`;
}
