import type { DecisionFacts } from "../facts";
import type { Rule } from "../policy/schema";
import { opensSecurityGroups } from "../policy/security-groups";
import type { PlannedRemoval } from "../routes/plan-removals";
import { planRemovals } from "../routes/plan-removals";
import { type PlannedRoute, planSideRoutes } from "../routes/plan-routes";
import { reachedDestinations } from "../routes/reached-destinations";
import { planSideRules } from "../security-groups/plan-rules";
import type { Decision, DnsChange, SecurityGroupRules } from "./decision";

type RouteTableSelector = Rule["routes"]["accepter"];

export interface PlannedChanges {
  plan: PlannedRoute[];
  removals: PlannedRemoval[];
  dns: DnsChange[];
  unmanaged: Decision["unmanaged"];
  /**
   * Present when the security groups were read and the rule opens some, or rules the service made for
   * this connection are to be revoked.
   */
  securityGroupRules?: SecurityGroupRules;
  /** Remarks worth a reason line (a side not managed, a selector that matches no table). */
  notes: string[];
  /** Explicit blocks of the rule's `reach` that lie outside the peer VPC: reported, not routed. */
  outsideReach: string[];
}

/**
 * What both sides need under `rule` (none for a dead connection): the accepter's tables route what the
 * rule's `reach` names of the requester CIDRs it allows, the requester's tables what it names of the
 * accepter's CIDRs (by default every one); every other route to this connection is removed; DNS
 * resolution is enabled where the rule asks for it. Where the security groups were read, each side's
 * chosen groups admit, for the traffic the rule opens, the peer addresses that side's tables route to;
 * the service's other rules for this connection are revoked.
 */
export function planChanges(
  facts: DecisionFacts,
  rule: Rule | undefined,
  allowedRequesterCidrs: string[],
): PlannedChanges {
  const { connection } = facts;
  const sides = [
    {
      side: "accepter",
      read: facts.accepterRouteTables,
      groups: facts.accepterSecurityGroups,
      peer: {
        side: "requester",
        cidrs: allowedRequesterCidrs,
        ...(facts.requesterSubnets && { subnets: facts.requesterSubnets }),
      },
    },
    {
      side: "requester",
      read: facts.requesterRouteTables,
      groups: facts.requesterSecurityGroups,
      peer: {
        side: "accepter",
        cidrs: facts.accepterCidrs,
        ...(facts.accepterSubnets && { subnets: facts.accepterSubnets }),
      },
    },
  ] as const;
  const result: PlannedChanges = {
    plan: [],
    removals: [],
    dns: [],
    unmanaged: {},
    notes: [],
    outsideReach: [],
  };
  const readsGroups =
    facts.accepterSecurityGroups !== undefined || facts.requesterSecurityGroups !== undefined;
  const rules: SecurityGroupRules | undefined = readsGroups ? { plan: [], revoke: [] } : undefined;

  for (const { side, read, groups, peer } of sides) {
    const where = { side, account: connection[side].account, region: connection[side].region };
    if (!read.readable) {
      result.unmanaged[side] = read.reason;
      result.notes.push(`${side} side not managed: ${read.reason}`);
      continue;
    }
    // Under a rule, no destination means the peer VPC's CIDRs could not be read, not that it has none (a
    // VPC always has one): planning would remove every route of this side and cut a working connection.
    if (rule && peer.cidrs.length === 0) {
      const reason = "the peer VPC's CIDRs could not be read";
      result.unmanaged[side] = reason;
      result.notes.push(`${side} side not changed: ${reason}`);
      continue;
    }
    const reached = rule ? reachedDestinations(rule.routes.reach[peer.side], peer) : undefined;
    // Subnets that could not be read say nothing of which routes are wanted: this side is left as it is.
    if (reached?.kind === "unknown") {
      result.unmanaged[side] = reached.reason;
      result.notes.push(`${side} side not changed: ${reached.reason}`);
      continue;
    }
    const destinations = reached?.destinations ?? [];
    result.notes.push(...(reached?.notes ?? []));
    result.outsideReach.push(...(reached?.outside ?? []));
    const selector: RouteTableSelector = rule?.routes[side] ?? "none";
    const plan = planSideRoutes({
      ...where,
      tables: read.tables,
      selector,
      destinations,
      connectionId: connection.id,
    });
    if (rule && selector !== "none" && plan.length === 0) {
      result.notes.push(`no ${side} route table matches the rule's selection ${JSON.stringify(selector)}`);
    }
    result.plan.push(...plan);
    result.removals.push(
      ...planRemovals({ ...where, tables: read.tables, connectionId: connection.id, keep: plan }),
    );
    if (rules && groups) {
      const planned = planSideRules({
        ...where,
        vpcId: connection[side].vpcId,
        connectionId: connection.id,
        selector: rule?.securityGroups[side] ?? "none",
        ingress: rule?.securityGroups.ingress ?? [],
        sources: destinations,
        groups,
      });
      rules.plan.push(...planned.plan);
      rules.revoke.push(...planned.revoke);
      result.notes.push(...planned.notes);
    }
    if (rule?.dnsResolution) {
      result.dns.push({ ...where, status: connection.dnsResolution[side] ? "present" : "enable" });
    }
  }
  const opensGroups = rule !== undefined && opensSecurityGroups(rule);
  if (rules && (opensGroups || rules.revoke.length > 0)) result.securityGroupRules = rules;
  return result;
}
