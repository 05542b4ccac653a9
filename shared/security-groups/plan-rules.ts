import { isIpv6 } from "../cidr";
import type { IngressRule, SecurityGroup, SecurityGroupsRead } from "../facts";
import type { Ingress, SecurityGroupSelector } from "../policy/schema";
import type { Side } from "../routes/plan-routes";
import { carriesTags, tagList } from "../tags";
import { ruleKey } from "./rule-key";

/** An ingress rule the plan wants on one group: `create` it, or it is already `present` (whoever made it). */
export interface PlannedRule extends IngressRule {
  side: Side;
  account: string;
  region: string;
  groupId: string;
  cidr: string;
  status: "create" | "present";
}

/** A rule the service made for this connection that the plan no longer wants: revoked by its id. */
export interface PlannedRevoke extends IngressRule {
  side: Side;
  account: string;
  region: string;
  groupId: string;
  ruleId: string;
}

export interface SideRulesInput {
  side: Side;
  account: string;
  region: string;
  vpcId: string;
  connectionId: string;
  /** `none` for a connection no rule governs (a dead one): every rule made for it goes. */
  selector: SecurityGroupSelector;
  ingress: Ingress[];
  /** The peer addresses this side's tables route to: the sources of its rules. */
  sources: string[];
  groups: SecurityGroupsRead;
}

export interface SideRules {
  plan: PlannedRule[];
  revoke: PlannedRevoke[];
  notes: string[];
}

/**
 * The rules one side's groups need: on each selected group, one rule per kind of traffic, port range
 * and peer source (ICMP from IPv4 sources, ICMPv6 from IPv6 ones). Every rule tagged for this connection
 * that is not wanted (its source no longer routed, its ports no longer listed, its group no longer
 * selected, the connection dead) is revoked. Rules without the connection's tag are never revoked: a
 * wanted rule someone else made counts as present.
 */
export function planSideRules(input: SideRulesInput): SideRules {
  const { side, account, region, connectionId } = input;
  if (!input.groups.readable) {
    return { plan: [], revoke: [], notes: [`${side} security groups not changed: ${input.groups.reason}`] };
  }
  const { groups } = input.groups;
  const { selected, notes } = selectGroups(groups, input.selector, input);
  const plan: PlannedRule[] = [];
  const revoke: PlannedRevoke[] = [];
  for (const group of groups) {
    const wanted = selected.includes(group) ? wantedRules(input.ingress, input.sources) : [];
    const present = new Set(group.ingress.map(ruleKey));
    const wantedKeys = new Set(wanted.map(ruleKey));
    const where = { side, account, region, groupId: group.id };
    for (const rule of wanted) {
      plan.push({ ...where, ...rule, status: present.has(ruleKey(rule)) ? "present" : "create" });
    }
    for (const { id, connectionId: taggedFor, ...rule } of group.tagged) {
      if (taggedFor === connectionId && !wantedKeys.has(ruleKey(rule))) {
        revoke.push({ ...where, ...rule, ruleId: id });
      }
    }
  }
  return { plan, revoke, notes };
}

function selectGroups(
  groups: SecurityGroup[],
  selector: SecurityGroupSelector,
  where: { side: Side; vpcId: string },
): { selected: SecurityGroup[]; notes: string[] } {
  if (selector === "none") return { selected: [], notes: [] };
  if ("ids" in selector) {
    const selected = groups.filter((group) => selector.ids.includes(group.id));
    const missing = selector.ids.filter((id) => !selected.some((group) => group.id === id));
    return {
      selected,
      notes: missing.map(
        (id) => `security group ${id} is not in the ${where.side} VPC ${where.vpcId}: no rule is added to it`,
      ),
    };
  }
  const selected = groups.filter((group) => carriesTags(group.tags, selector.tags));
  const named = tagList(selector.tags);
  return {
    selected,
    notes:
      selected.length === 0 ? [`no ${where.side} security group is tagged ${named}: no rule is added`] : [],
  };
}

/** Each kind of traffic, from each source of its family, once. */
function wantedRules(ingress: Ingress[], sources: string[]): (IngressRule & { cidr: string })[] {
  const rules = new Map<string, IngressRule & { cidr: string }>();
  for (const { protocol, ports } of ingress) {
    const ranges = ports?.map(({ from, to }) => ({ fromPort: from, toPort: to })) ?? [
      { fromPort: -1, toPort: -1 },
    ];
    for (const cidr of sources) {
      const ipv6 = isIpv6(cidr);
      if ((protocol === "icmp" && ipv6) || (protocol === "icmpv6" && !ipv6)) continue;
      for (const range of ranges) {
        const rule = { protocol: protocol === "all" ? "-1" : protocol, ...range, cidr };
        if (!rules.has(ruleKey(rule))) rules.set(ruleKey(rule), rule);
      }
    }
  }
  return [...rules.values()];
}
