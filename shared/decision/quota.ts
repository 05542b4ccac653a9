import { isIpv6 } from "../cidr";
import { groupBy, type NonEmpty } from "../collections";
import type { DecisionFacts, IngressRule } from "../facts";
import type { PlannedRoute } from "../routes/plan-routes";
import type { PlannedRule } from "../security-groups/plan-rules";
import { portsText } from "../security-groups/ports-text";
import type { SecurityGroupRules } from "./decision";

/**
 * Why accepting this request would go over a quota: each route table the plan writes that has no room
 * for the routes it creates there, each security group with no room for the rules it opens there, then
 * the accepter VPC if it has no room for one more active peering connection. Empty when everything
 * fits, or when the facts carry no quotas.
 */
export function requestOverQuota(
  facts: DecisionFacts,
  plan: PlannedRoute[],
  rules: PlannedRule[] = [],
): string[] {
  const { quotas } = facts;
  if (!quotas) return [];
  const tables = tablesWritten(facts, plan)
    .filter(({ holds, meanwhile, creates }) => holds + meanwhile + creates.length > quotas.routesPerTable)
    .map(
      ({ where, holds, meanwhile, creates }) =>
        `route table ${where} ${held(holds, meanwhile, "route")}; this request adds ${creates.length}, over the quota of ${quotas.routesPerTable}`,
    );
  const groups = groupsWritten(facts, rules)
    .filter(
      ({ holds, meanwhile, creates }) => holds + meanwhile + creates.length > quotas.rulesPerSecurityGroup,
    )
    .map(
      ({ where, family, holds, meanwhile, creates }) =>
        `security group ${where} ${held(holds, meanwhile, `${family} inbound rule`)}; this request adds ${creates.length}, over the quota of ${quotas.rulesPerSecurityGroup}`,
    );
  const active = facts.accepterActivePeerings;
  if (active === undefined || active + 1 <= quotas.activePeeringsPerVpc) return [...tables, ...groups];
  const { accepter } = facts.connection;
  return [
    ...tables,
    ...groups,
    `accepter VPC ${accepter.vpcId} (${accepter.account} ${accepter.region}) has ${count(active, "active peering connection")}; accepting this request makes ${active + 1}, over the quota of ${quotas.activePeeringsPerVpc}`,
  ];
}

/**
 * The plan of an active connection cut to what its route tables have room for: in a table that cannot
 * take every route the plan creates there, the first ones that fit are kept and the others are left
 * out, with a reason naming the table, the numbers and the destinations not routed. Creating them
 * would only fail with RouteLimitExceeded, part way through the connection's routes.
 */
export function fitToRouteQuota(
  facts: DecisionFacts,
  plan: PlannedRoute[],
): { plan: PlannedRoute[]; reasons: string[] } {
  const quota = facts.quotas?.routesPerTable;
  if (quota === undefined) return { plan, reasons: [] };
  const left = new Set<PlannedRoute>();
  const reasons: string[] = [];
  for (const { where, holds, meanwhile, creates } of tablesWritten(facts, plan)) {
    const room = Math.max(0, quota - holds - meanwhile);
    if (creates.length <= room) continue;
    const notCreated = creates.slice(room);
    for (const route of notCreated) left.add(route);
    reasons.push(
      `route table ${where} ${held(holds, meanwhile, "route")} and has room for ${room} of the ${creates.length} this connection needs (quota ${quota}): not created: ${notCreated.map((r) => r.destination).join(", ")}`,
    );
  }
  return { plan: plan.filter((route) => !left.has(route)), reasons };
}

/**
 * An active connection's security-group rules cut to what its groups have room for, as routes are
 * (fitToRouteQuota): creating the others would fail with RulesPerSecurityGroupLimitExceeded. Rules
 * it revokes are not counted as room: they are revoked after the new ones are made.
 */
export function fitToRuleQuota(
  facts: DecisionFacts,
  rules: SecurityGroupRules | undefined,
): { rules: SecurityGroupRules | undefined; reasons: string[] } {
  const quota = facts.quotas?.rulesPerSecurityGroup;
  if (quota === undefined || rules === undefined) return { rules, reasons: [] };
  const left = new Set<PlannedRule>();
  const reasons: string[] = [];
  for (const { where, family, holds, meanwhile, creates } of groupsWritten(facts, rules.plan)) {
    const room = Math.max(0, quota - holds - meanwhile);
    if (creates.length <= room) continue;
    const notCreated = creates.slice(room);
    for (const rule of notCreated) left.add(rule);
    reasons.push(
      `security group ${where} ${held(holds, meanwhile, `${family} inbound rule`)} and has room for ${room} of the ${creates.length} this connection needs (quota ${quota}): not opened: ${notCreated.map(ruleText).join(", ")}`,
    );
  }
  return { rules: { ...rules, plan: rules.plan.filter((rule) => !left.has(rule)) }, reasons };
}

interface TableWritten {
  /** `rtb-… (account region)`. */
  where: string;
  /** Routes the table holds now, local routes aside (AWS does not count them). */
  holds: number;
  /** Routes earlier decisions of the same pass create in it. */
  meanwhile: number;
  /** The routes the plan creates in it, in plan order. */
  creates: NonEmpty<PlannedRoute>;
}

function tablesWritten(facts: DecisionFacts, plan: PlannedRoute[]): TableWritten[] {
  const creates = plan.filter((route) => route.status === "create");
  const byTable = groupBy(creates, (route) => `${route.side} ${route.routeTableId}`);
  return [...byTable.values()].map((routes) => {
    const [{ side, routeTableId, account, region }] = routes;
    const read = side === "accepter" ? facts.accepterRouteTables : facts.requesterRouteTables;
    const table = read.readable ? read.tables.find((t) => t.id === routeTableId) : undefined;
    const holds = table?.routes.filter((route) => route.target !== "local").length ?? 0;
    const meanwhile = facts.plannedMeanwhile?.routes[routeTableId] ?? 0;
    return { where: `${routeTableId} (${account} ${region})`, holds, meanwhile, creates: routes };
  });
}

interface GroupWritten {
  /** `sg-… (account region)`. */
  where: string;
  family: Family;
  /** Inbound rules the group holds now that count against this family's quota. */
  holds: number;
  /** Rules of this family earlier decisions of the same pass open in it. */
  meanwhile: number;
  /** The rules of this family the plan opens in it, in plan order. */
  creates: NonEmpty<PlannedRule>;
}

type Family = "IPv4" | "IPv6";

function groupsWritten(facts: DecisionFacts, rules: PlannedRule[]): GroupWritten[] {
  const creates = rules.filter((rule) => rule.status === "create");
  const byGroup = groupBy(creates, (rule) => `${rule.side} ${ruleQuotaKey(rule.groupId, rule.cidr)}`);
  return [...byGroup.values()].map((opened) => {
    const [{ side, groupId, account, region, cidr }] = opened;
    const family = familyOf(cidr);
    const read = side === "accepter" ? facts.accepterSecurityGroups : facts.requesterSecurityGroups;
    const group = read?.readable ? read.groups.find((g) => g.id === groupId) : undefined;
    const holds = group?.ingress.filter((rule) => countsFor(rule, family)).length ?? 0;
    const meanwhile = facts.plannedMeanwhile?.rules[ruleQuotaKey(groupId, cidr)] ?? 0;
    return { where: `${groupId} (${account} ${region})`, family, holds, meanwhile, creates: opened };
  });
}

/** Where a rule counts against a group's quota: the group and the family of its source. */
export function ruleQuotaKey(groupId: string, cidr: string): string {
  return `${groupId} ${familyOf(cidr)}`;
}

function familyOf(cidr: string): Family {
  return isIpv6(cidr) ? "IPv6" : "IPv4";
}

/** A rule from a group or a prefix list (no block) counts against both families' quotas, as AWS counts it. */
function countsFor(rule: IngressRule, family: Family): boolean {
  return rule.cidr === undefined || familyOf(rule.cidr) === family;
}

function ruleText(rule: PlannedRule): string {
  return `${rule.protocol} ${portsText(rule.fromPort, rule.toPort)} from ${rule.cidr}`;
}

function held(holds: number, meanwhile: number, noun: string): string {
  const now = `holds ${count(holds, noun)}`;
  return meanwhile > 0 ? `${now} (and this pass creates ${meanwhile} more)` : now;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
