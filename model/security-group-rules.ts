// The checks EC2 makes on security-group rules, shared by AuthorizeSecurityGroupIngress and the world's
// builder so that a test cannot build a rule EC2 would refuse.

import type { IpPermission } from "@aws-sdk/client-ec2";
import { canonicalCidr } from "./cidr";
import { ec2Error } from "./errors";
import type { RuleSource, SecurityGroupRuleRecord } from "./state";

/** A rule before it has an id, a group and tags. */
export type RuleDraft = Omit<SecurityGroupRuleRecord, "id" | "groupId" | "tags">;

export interface DraftInput {
  isEgress: boolean;
  protocol: string | undefined;
  fromPort: number | undefined;
  toPort: number | undefined;
  source: RuleSource;
  description: string | undefined;
}

// EC2 documents protocol numbers as equivalent to these names; the model stores the name.
const PROTOCOL_NAMES: Record<string, string> = { "1": "icmp", "6": "tcp", "17": "udp", "58": "icmpv6" };
// As EC2 documents rule descriptions: up to 255 characters from this set.
const DESCRIPTION = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]{0,255}$/;

/** Validates a rule as EC2 does and stores it as EC2 shows it (protocol by name, canonical CIDR). */
export function ruleDraft(input: DraftInput): RuleDraft {
  if (input.description !== undefined && !DESCRIPTION.test(input.description)) {
    throw invalid(
      "Invalid rule description. Valid descriptions are strings less than 256 characters from the following set: a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*",
    );
  }
  return {
    isEgress: input.isEgress,
    ...protocolAndPorts(input.protocol, input.fromPort, input.toPort),
    source: canonicalSource(input.source),
    ...(input.description !== undefined && { description: input.description }),
  };
}

/** One draft per address range of an IpPermission (the model reads IpRanges and Ipv6Ranges). */
export function draftsOfPermission(permission: IpPermission, isEgress: boolean): RuleDraft[] {
  if ((permission.UserIdGroupPairs ?? []).length > 0 || (permission.PrefixListIds ?? []).length > 0) {
    throw new Error(
      "the model authorizes and revokes CIDR rules only (build rules referencing groups or prefix lists with world.addSecurityGroupRule)",
    );
  }
  const sources = [
    ...(permission.IpRanges ?? []).map(({ CidrIp, Description }) => ({
      source: { cidrIpv4: CidrIp ?? "" },
      description: Description,
    })),
    ...(permission.Ipv6Ranges ?? []).map(({ CidrIpv6, Description }) => ({
      source: { cidrIpv6: CidrIpv6 ?? "" },
      description: Description,
    })),
  ];
  if (sources.length === 0) {
    throw invalid(
      "missing mandatory parameter: exactly one of remote-security-group, remote-ip-range, remote-ipv6-range, or prefix-list-id must be present",
    );
  }
  const { IpProtocol: protocol, FromPort: fromPort, ToPort: toPort } = permission;
  return sources.map(({ source, description }) =>
    ruleDraft({ isEgress, protocol, fromPort, toPort, source, description }),
  );
}

/** What makes two rules the same rule for EC2: direction, protocol, ports and source (not the description). */
export function sameRule(a: RuleDraft, b: RuleDraft): boolean {
  return ruleKey(a) === ruleKey(b);
}

/**
 * Refuses rules that would duplicate one the group has (or one another of the same request) or take the
 * group over its quota: `limit` rules per direction, counted separately for IPv4 and IPv6; a rule
 * referencing a group or a prefix list counts once for each.
 */
export function checkAddable(existing: RuleDraft[], added: RuleDraft[], limit: number): void {
  const seen = new Set(existing.map(ruleKey));
  for (const rule of added) {
    if (seen.has(ruleKey(rule))) {
      throw ec2Error("InvalidPermission.Duplicate", `the specified rule "${ruleText(rule)}" already exists`);
    }
    seen.add(ruleKey(rule));
  }
  for (const isEgress of [false, true]) {
    for (const family of ["ipv4", "ipv6"] as const) {
      const counted = (rule: RuleDraft) => rule.isEgress === isEgress && countsFor(rule.source, family);
      const adds = added.filter(counted).length;
      if (adds > 0 && existing.filter(counted).length + adds > limit) {
        throw ec2Error(
          "RulesPerSecurityGroupLimitExceeded",
          "The maximum number of rules per security group has been reached.",
        );
      }
    }
  }
}

/** Whether EC2 shows the rule's port range in an IpPermission (it omits it for all-port protocols). */
export function hasPorts(protocol: string): boolean {
  return ["tcp", "udp", "icmp", "icmpv6"].includes(protocol);
}

function protocolAndPorts(
  given: string | undefined,
  fromPort: number | undefined,
  toPort: number | undefined,
): Pick<RuleDraft, "protocol" | "fromPort" | "toPort"> {
  const lower = (given ?? "").toLowerCase();
  const protocol = PROTOCOL_NAMES[lower] ?? lower;
  if (protocol === "tcp" || protocol === "udp") {
    if (fromPort === undefined || toPort === undefined) {
      throw invalid("Invalid value for portRange. Must specify both from and to ports with TCP/UDP.");
    }
    if (!within(fromPort, 0, 65535) || !within(toPort, 0, 65535) || fromPort > toPort) {
      throw invalid(`Invalid TCP/UDP port range ${fromPort}-${toPort}`);
    }
    return { protocol, fromPort, toPort };
  }
  if (protocol === "icmp" || protocol === "icmpv6") {
    // ICMPv6 alone may leave the range out: every type and code.
    if (protocol === "icmpv6" && fromPort === undefined && toPort === undefined) {
      return { protocol, fromPort: -1, toPort: -1 };
    }
    if (fromPort === undefined || toPort === undefined) {
      throw invalid("Invalid value for portRange. Must specify both ICMP type and code.");
    }
    if (!within(fromPort, -1, 255) || !within(toPort, -1, 255) || (fromPort === -1 && toPort !== -1)) {
      throw invalid(`Invalid ICMP type ${fromPort} or code ${toPort}`);
    }
    return { protocol, fromPort, toPort };
  }
  // All protocols, or any other protocol number: every port, whatever range was given.
  if (protocol === "-1") return { protocol, fromPort: -1, toPort: -1 };
  if (/^\d{1,3}$/.test(protocol) && Number(protocol) <= 255) {
    return { protocol: String(Number(protocol)), fromPort: -1, toPort: -1 };
  }
  throw invalid(`Invalid value '${given}' for IP protocol. Unknown protocol.`);
}

function canonicalSource(source: RuleSource): RuleSource {
  if ("cidrIpv4" in source) return { cidrIpv4: canonical(source.cidrIpv4, "ipv4") };
  if ("cidrIpv6" in source) return { cidrIpv6: canonical(source.cidrIpv6, "ipv6") };
  return source;
}

function canonical(cidr: string, family: "ipv4" | "ipv6"): string {
  const block = canonicalCidr(cidr, family);
  if (block === undefined) throw invalid(`CIDR block ${cidr} is malformed`);
  return block;
}

function countsFor(source: RuleSource, family: "ipv4" | "ipv6"): boolean {
  if ("cidrIpv4" in source) return family === "ipv4";
  if ("cidrIpv6" in source) return family === "ipv6";
  return true;
}

function ruleKey(rule: RuleDraft): string {
  return [rule.isEgress, rule.protocol, rule.fromPort, rule.toPort, sourceText(rule.source)].join(" ");
}

function sourceText(source: RuleSource): string {
  if ("cidrIpv4" in source) return source.cidrIpv4;
  if ("cidrIpv6" in source) return source.cidrIpv6;
  if ("prefixListId" in source) return source.prefixListId;
  return source.referencedGroup.groupId;
}

function ruleText(rule: RuleDraft): string {
  return `peer: ${sourceText(rule.source)}, ${rule.protocol === "-1" ? "ALL" : rule.protocol.toUpperCase()}, from port: ${rule.fromPort}, to port: ${rule.toPort}, ALLOW`;
}

function within(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

function invalid(message: string) {
  return ec2Error("InvalidParameterValue", message);
}
