import type { Ingress, Reach, SecurityGroupSelector } from "../shared/policy/schema";
import { tagList } from "../shared/tags";

/** Which of a side's addresses the peer's tables route to. */
export function reachText(reach: Reach): string {
  if (reach === "vpc") return "every VPC CIDR";
  if ("subnets" in reach) return `subnets tagged ${tagList(reach.subnets.tags)}`;
  return `CIDRs ${reach.cidrs.join(", ")}`;
}

/** Which of a side's security groups admit the peer. */
export function groupsText(selector: SecurityGroupSelector): string {
  if (selector === "none") return "none";
  if ("ids" in selector) return `groups ${selector.ids.join(", ")}`;
  return `groups tagged ${tagList(selector.tags)}`;
}

/** What the peer may send: `tcp 443, 8000-8100; icmp`. */
export function ingressText(ingress: Ingress[]): string {
  return ingress
    .map(({ protocol, ports }) => {
      const listed = ports?.map(({ from, to }) => (from === to ? `${from}` : `${from}-${to}`)).join(", ");
      return listed ? `${protocol} ${listed}` : protocol;
    })
    .join("; ");
}
