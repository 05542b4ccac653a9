import type { Policy, Reach, RouteTableSelector, Rule } from "../shared/policy/schema";
import type { Side } from "../shared/routes/plan-routes";
import { tagList } from "../shared/tags";

/** What one side's route tables route to under a rule: which tables, and which of the peer's addresses. */
export interface SideAccess {
  /** The side whose tables get the routes. */
  side: Side;
  tables: RouteTableSelector;
  /** The peer side's reach: which of its addresses those tables route to. */
  reach: Reach;
  /** The tables route every VPC CIDR of the peer: what least-access checks flag. */
  wholeVpc: boolean;
}

export interface RuleAccess {
  rule: string;
  sides: SideAccess[];
  /** No side's tables route a whole peer VPC. */
  leastAccess: boolean;
}

const PEER: Record<Side, Side> = { accepter: "requester", requester: "accepter" };

/**
 * Per rule, whether its routes are least access as far as the policy says: a side whose tables get
 * routes (selector not `none`) while the peer's reach is `vpc` routes a whole peer VPC. Explicit CIDRs
 * are taken as narrow; whether one equals a live VPC CIDR is for `plan --least-access` to see.
 */
export function policyAccess(policy: Policy): RuleAccess[] {
  return policy.rules.map(ruleAccess);
}

function ruleAccess(rule: Rule): RuleAccess {
  const sides = (["accepter", "requester"] as const).map((side): SideAccess => {
    const tables = rule.routes[side];
    const reach = rule.routes.reach[PEER[side]];
    return { side, tables, reach, wholeVpc: tables !== "none" && reach === "vpc" };
  });
  return { rule: rule.name, sides, leastAccess: sides.every((s) => !s.wholeVpc) };
}

/** Whether every rule of the policy is least access. */
export function policyIsLeastAccess(access: RuleAccess[]): boolean {
  return access.every((rule) => rule.leastAccess);
}

/** The report as lines: one finding per side routing a whole peer VPC, one line per least-access rule. */
export function formatPolicyAccess(file: string, access: RuleAccess[]): string[] {
  const wide = access.filter((rule) => !rule.leastAccess);
  const lines = [`${file}: valid, ${count(access.length, "rule")}; least access:`];
  if (access.length === 0) lines.push("  no rules: nothing is routed");
  for (const rule of access) {
    if (rule.leastAccess) {
      lines.push(`  least access  rule '${rule.rule}': ${rule.sides.map(describeSide).join("; ")}`);
      continue;
    }
    for (const side of rule.sides.filter((s) => s.wholeVpc)) {
      lines.push(
        `  WHOLE VPC     rule '${rule.rule}': ${describeSide(side)} (reach.${PEER[side.side]}: vpc)`,
      );
    }
  }
  lines.push(
    wide.length === 0
      ? "  every rule routes only peer subnets, explicit CIDRs or no tables"
      : `  not least access: rules routing a whole peer VPC: ${wide.length} of ${access.length}`,
  );
  return lines;
}

function describeSide({ side, tables, reach }: SideAccess): string {
  const peer = PEER[side];
  if (tables === "none") return `${side} route tables: none`;
  const which = `${side} route tables (${describeTables(tables)})`;
  if (reach === "vpc") return `${which} route every ${peer} VPC CIDR`;
  if ("subnets" in reach) return `${which} route only ${peer} subnets tagged ${tagList(reach.subnets.tags)}`;
  return `${which} route only ${peer} CIDRs ${reach.cidrs.join(", ")}`;
}

function describeTables(tables: Exclude<RouteTableSelector, "none">): string {
  return typeof tables === "string" ? tables : `tagged ${tagList(tables.tags)}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
