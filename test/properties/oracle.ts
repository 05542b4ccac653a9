import { contains, overlaps, prefixLength, sameCidr } from "../../shared/cidr";
import type { DecisionFacts, Route, RouteTable, VpcLocation } from "../../shared/facts";
import type { Policy, RouteTableSelector, Rule } from "../../shared/policy/schema";

/**
 * What the README promises, written again from the README and nothing else of the service but its CIDR
 * arithmetic, to judge `decide` and the handlers against.
 */

export type Side = "accepter" | "requester";
export const SIDES: Side[] = ["accepter", "requester"];
const DEAD = ["deleted", "rejected", "expired", "failed"];
/** The tag that records the rule a connection was approved by. */
export const RULE_TAG = "peering-autopilot:rule";

/** The rule's accepter and requester selectors (everything but the CIDRs) match the pair. */
export function selectorsMatch(rule: Rule, accepter: VpcLocation, requester: VpcLocation): boolean {
  const a = rule.accepter;
  const r = rule.requester;
  return (
    a.accounts.includes(accepter.account) &&
    (a.regions === undefined || a.regions.includes(accepter.region)) &&
    (a.vpcs === undefined || a.vpcs.includes(accepter.vpcId)) &&
    (r.accounts.includes("*") || r.accounts.includes(requester.account)) &&
    (r.regions === undefined || r.regions.includes(requester.region))
  );
}

export function allows(rule: Rule, cidr: string): boolean {
  return rule.requester.cidrs.some((allowed) => contains(allowed, cidr));
}

/** A pending request: the first rule whose selectors match and whose CIDRs hold every requester CIDR. */
export function approvingRule(policy: Policy, facts: DecisionFacts): Rule | undefined {
  const { accepter, requester } = facts.connection;
  return policy.rules.find(
    (rule) => selectorsMatch(rule, accepter, requester) && requester.cidrs.every((c) => allows(rule, c)),
  );
}

/**
 * An active connection is governed by a rule allowing at least one of its requester CIDRs (README): the
 * rule that would approve it today, so that accepting and maintaining agree; failing that, the rule its
 * `peering-autopilot:rule` tag records; failing that, the first one (commit eabee95 "the approving rule
 * keeps governing").
 */
export function governingRule(policy: Policy, facts: DecisionFacts): Rule | undefined {
  const { accepter, requester } = facts.connection;
  const allowsSome = (rule: Rule) =>
    selectorsMatch(rule, accepter, requester) && requester.cidrs.some((c) => allows(rule, c));
  const tagged = policy.rules.find((rule) => rule.name === facts.connection.tags[RULE_TAG]);
  const approving = approvingRule(policy, facts);
  if (approving && allowsSome(approving)) return approving;
  if (tagged && allowsSome(tagged)) return tagged;
  return policy.rules.find(allowsSome);
}

/** The rule a decision about these facts should name, if any. */
export function ruleFor(policy: Policy, facts: DecisionFacts): Rule | undefined {
  const status = facts.connection.status;
  if (status === "pending-acceptance") return approvingRule(policy, facts);
  if (status === "active") return governingRule(policy, facts);
  // A dead connection's leftovers are its approving rule's to clean up, while the policy has that rule.
  if (DEAD.includes(status))
    return policy.rules.find((rule) => rule.name === facts.connection.tags[RULE_TAG]);
  return undefined;
}

export function selectTables(tables: RouteTable[], selector: RouteTableSelector): RouteTable[] {
  return tables.filter((table) => {
    if (selector === "all") return true;
    if (selector === "none") return false;
    if (selector === "main") return table.main;
    return Object.entries(selector.tags).every(([key, value]) => table.tags[key] === value);
  });
}

/**
 * README: a route conflicts when it targets something other than this connection, overlaps the
 * destination, and is either at least as specific or another peering connection's route.
 */
export function conflicts(route: Route, destination: string, connectionId: string): boolean {
  return (
    route.target !== connectionId &&
    overlaps(route.destination, destination) &&
    (prefixLength(route.destination) >= prefixLength(destination) || route.target.startsWith("pcx-"))
  );
}

/** The peer CIDRs a side's tables should route under `rule`. */
export function destinationsFor(side: Side, rule: Rule, facts: DecisionFacts): string[] {
  return side === "accepter"
    ? facts.connection.requester.cidrs.filter((c) => allows(rule, c))
    : facts.accepterCidrs;
}

export function tablesOf(side: Side, facts: DecisionFacts): RouteTable[] | undefined {
  const read = side === "accepter" ? facts.accepterRouteTables : facts.requesterRouteTables;
  return read.readable ? read.tables : undefined;
}

/** Every (table, destination) the rule wants routed, on the sides that can be read, that a route contests. */
export function conflictsUnder(rule: Rule, facts: DecisionFacts): string[] {
  return SIDES.flatMap((side) => {
    const tables = tablesOf(side, facts);
    if (!tables) return [];
    return selectTables(tables, rule.routes[side]).flatMap((table) =>
      destinationsFor(side, rule, facts).flatMap((destination) =>
        table.routes
          .filter((route) => conflicts(route, destination, facts.connection.id))
          .map((route) => `${side} ${table.id}: ${destination} vs ${route.destination} -> ${route.target}`),
      ),
    );
  });
}

export function requesterOverlaps(facts: DecisionFacts): boolean {
  return facts.connection.requester.cidrs.some((r) => facts.accepterCidrs.some((a) => overlaps(r, a)));
}

/** Routes to this connection in the readable tables. */
export function routesToConnection(facts: DecisionFacts): { side: Side; table: RouteTable; route: Route }[] {
  return SIDES.flatMap((side) =>
    (tablesOf(side, facts) ?? []).flatMap((table) =>
      table.routes
        .filter((route) => route.target === facts.connection.id)
        .map((route) => ({ side, table, route })),
    ),
  );
}

export interface Expected {
  action: "accept" | "reject" | "maintain" | "cleanup" | "ignore";
  rule?: string;
  why: string;
}

/** The README's table "The whole life of a connection", guards and rules included. */
export function expectedDecision(facts: DecisionFacts, policy: Policy): Expected {
  const { status, requester } = facts.connection;
  if (status === "pending-acceptance") {
    if (requester.cidrs.length === 0) return { action: "reject", why: "no requester CIDR" };
    if (facts.accepterCidrs.length === 0) return { action: "reject", why: "no accepter CIDR" };
    if (requesterOverlaps(facts)) return { action: "reject", why: "overlap" };
    const rule = approvingRule(policy, facts);
    if (!rule)
      return { action: policy.unmatched === "ignore" ? "ignore" : "reject", why: "no rule approves" };
    const contested = conflictsUnder(rule, facts);
    if (contested.length > 0) return { action: "reject", rule: rule.name, why: `conflict: ${contested[0]}` };
    return { action: "accept", rule: rule.name, why: `rule ${rule.name} approves` };
  }
  if (status === "active") {
    const rule = governingRule(policy, facts);
    return rule
      ? { action: "maintain", rule: rule.name, why: `rule ${rule.name} governs` }
      : { action: "ignore", why: "outside policy" };
  }
  if (DEAD.includes(status)) {
    const rule = ruleFor(policy, facts);
    return {
      ...(routesToConnection(facts).length > 0
        ? { action: "cleanup", why: "routes left behind" }
        : { action: "ignore", why: "dead, nothing left" }),
      ...(rule && { rule: rule.name }),
    };
  }
  return { action: "ignore", why: "in transit" };
}

/** Whether the plan (present or to create) holds this destination in this table. */
export function planHolds(
  plan: { side: Side; routeTableId: string; destination: string }[],
  side: Side,
  tableId: string,
  destination: string,
): boolean {
  return plan.some(
    (p) => p.side === side && p.routeTableId === tableId && sameCidr(p.destination, destination),
  );
}
