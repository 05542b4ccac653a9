import type { RouteResult } from "../aws/carry-out/apply-routes";
import type { RuleResult } from "../aws/carry-out/apply-rules";
import type { Outcome } from "../aws/carry-out/jobs";
import { changesOf } from "../decision/changes";
import type { Decision } from "../decision/decision";
import type { PlannedRoute } from "../routes/plan-routes";
import type { PlannedRevoke, PlannedRule } from "../security-groups/plan-rules";
import { portsText } from "../security-groups/ports-text";

/** Where a route is, in a form that reads well in a log line. */
export interface RouteRef {
  side: "accepter" | "requester";
  account: string;
  region: string;
  routeTableId: string;
  destination: string;
  conflictsWith?: string;
  error?: string;
}

/** Where a security-group rule is and what it admits, in a form that reads well in a log line. */
export interface RuleRef {
  side: "accepter" | "requester";
  account: string;
  region: string;
  groupId: string;
  /** The rule's id, once EC2 has given it one. */
  ruleId?: string;
  protocol: string;
  ports: string;
  source: string;
  error?: string;
}

/** The one structured record logged (and published) per decision: what was seen, decided and done. */
export interface DecisionRecord {
  connectionId: string;
  action: Decision["action"];
  mode: Decision["mode"];
  /** In report mode: what enforcing the decision would have changed (nothing was). */
  wouldChange?: {
    connection?: "accept" | "reject";
    createRoutes: RouteRef[];
    removeRoutes: RouteRef[];
    enableDns: { side: string; account: string; region: string }[];
    /** Present when the connection's rule opens security groups, or rules made for it are to go. */
    securityGroupRules?: { create: RuleRef[]; revoke: RuleRef[] };
  };
  rule?: string;
  reasons: string[];
  findings: Decision["findings"];
  status: string;
  accepter: Decision["accepter"];
  requester: Decision["requester"];
  connection: Outcome["connection"];
  /** A person's answer that this decision carried out. */
  approval?: Decision["approval"];
  /** When a pending request expires (ISO 8601). */
  expiresAt?: string;
  routes: {
    /** What the plan creates: made already for an accepted request, to be made for one awaiting approval. */
    planned: RouteRef[];
    created: RouteRef[];
    present: RouteRef[];
    conflicting: RouteRef[];
    removed: RouteRef[];
    failed: RouteRef[];
  };
  dns: { side: string; account: string; region: string; result: string; error?: string }[];
  /** Present when the connection's rule opens security groups, or rules made for it are to go. */
  securityGroupRules?: {
    /** What the plan creates: made already for an accepted request, to be made for one awaiting approval. */
    planned: RuleRef[];
    created: RuleRef[];
    present: RuleRef[];
    revoked: RuleRef[];
    failed: RuleRef[];
  };
  unmanaged: Decision["unmanaged"];
  tagged: boolean;
  /** Whether anything in AWS changed. */
  changed: boolean;
  /** Set when carrying the decision out failed part way; the invocation fails so that it is retried. */
  error?: { name: string; message: string };
}

export function toDecisionRecord(decision: Decision, outcome: Outcome, error?: Error): DecisionRecord {
  const results: RouteResult[] = outcome.routes;
  const pick = (kind: RouteResult["result"]) =>
    results
      .filter((r) => r.result === kind)
      .map((r) => toRouteRef(r.route, r.result === "failed" ? r.error : undefined));
  const removed = outcome.removed.filter((r) => r.result === "removed").map((r) => ({ ...r.route }));
  const failedRemovals = outcome.removed.flatMap((r) =>
    r.result === "failed" ? [{ ...r.route, error: r.error }] : [],
  );
  const dns = outcome.dns.map(({ change, ...rest }) => ({
    side: change.side,
    account: change.account,
    region: change.region,
    ...rest,
  }));
  const rules = decision.securityGroupRules && ruleRecord(decision.securityGroupRules.plan, outcome);
  const changed =
    outcome.connection !== "unchanged" ||
    outcome.tagged ||
    results.some((r) => r.result === "created") ||
    removed.length > 0 ||
    dns.some((d) => d.result === "enabled") ||
    (rules !== undefined && (rules.created.length > 0 || rules.revoked.length > 0));
  return {
    connectionId: decision.connectionId,
    action: decision.action,
    mode: decision.mode,
    ...(decision.mode === "report" && { wouldChange: wouldChange(decision) }),
    ...(decision.rule && { rule: decision.rule }),
    ...(decision.approval && { approval: decision.approval }),
    ...(decision.expiresAt && { expiresAt: decision.expiresAt }),
    reasons: decision.reasons,
    findings: decision.findings,
    status: decision.status,
    accepter: decision.accepter,
    requester: decision.requester,
    connection: outcome.connection,
    routes: {
      planned: decision.plan.filter((route) => route.status === "create").map((route) => toRouteRef(route)),
      created: pick("created"),
      present: pick("present"),
      // A rejected request's conflicts are in its plan; a carried-out plan's in its results.
      conflicting: outcome.routes.length ? pick("conflicting") : plannedConflicts(decision),
      removed,
      failed: [...pick("failed"), ...failedRemovals],
    },
    dns,
    ...(rules && { securityGroupRules: rules }),
    unmanaged: decision.unmanaged,
    tagged: outcome.tagged,
    changed,
    ...(error && { error: { name: error.name, message: error.message } }),
  };
}

function wouldChange(decision: Decision): NonNullable<DecisionRecord["wouldChange"]> {
  const changes = changesOf(decision);
  return {
    ...(changes.connection && { connection: changes.connection }),
    createRoutes: changes.createRoutes.map((route) => toRouteRef(route)),
    removeRoutes: changes.removeRoutes.map((route) => ({ ...route })),
    enableDns: changes.enableDns.map(({ side, account, region }) => ({ side, account, region })),
    ...(changes.securityGroupRules && {
      securityGroupRules: {
        create: changes.securityGroupRules.create.map((rule) => toRuleRef(rule)),
        revoke: changes.securityGroupRules.revoke.map((rule) => toRuleRef(rule)),
      },
    }),
  };
}

function ruleRecord(
  plan: PlannedRule[],
  outcome: Outcome,
): NonNullable<DecisionRecord["securityGroupRules"]> {
  const authorized: RuleResult[] = outcome.securityGroupRules?.authorized ?? [];
  const revokes = outcome.securityGroupRules?.revoked ?? [];
  return {
    planned: plan.filter((rule) => rule.status === "create").map((rule) => toRuleRef(rule)),
    created: authorized.flatMap((r) =>
      r.result === "created" ? [toRuleRef(r.rule, { ruleId: r.ruleId })] : [],
    ),
    present: authorized.flatMap((r) => (r.result === "present" ? [toRuleRef(r.rule)] : [])),
    revoked: revokes.flatMap((r) => (r.result === "revoked" ? [toRuleRef(r.rule)] : [])),
    failed: [
      ...authorized.flatMap((r) => (r.result === "failed" ? [toRuleRef(r.rule, { error: r.error })] : [])),
      ...revokes.flatMap((r) => (r.result === "failed" ? [toRuleRef(r.rule, { error: r.error })] : [])),
    ],
  };
}

/** A planned or revoked rule as records, and `plan`, show it. */
export function toRuleRef(
  rule: PlannedRule | PlannedRevoke,
  extra: { ruleId?: string; error?: string } = {},
): RuleRef {
  const { side, account, region, groupId, protocol, fromPort, toPort, cidr } = rule;
  const ruleId = "ruleId" in rule ? rule.ruleId : extra.ruleId;
  return {
    side,
    account,
    region,
    groupId,
    ...(ruleId && { ruleId }),
    protocol,
    ports: portsText(fromPort, toPort),
    source: cidr ?? "another source",
    ...(extra.error !== undefined && { error: extra.error }),
  };
}

function plannedConflicts(decision: Decision): RouteRef[] {
  return decision.plan.filter((route) => route.status === "conflict").map((route) => toRouteRef(route));
}

function toRouteRef(route: PlannedRoute, error?: string): RouteRef {
  const { side, account, region, routeTableId, destination, conflictsWith } = route;
  return {
    side,
    account,
    region,
    routeTableId,
    destination,
    ...(conflictsWith && { conflictsWith: `${conflictsWith.destination} -> ${conflictsWith.target}` }),
    ...(error !== undefined && { error }),
  };
}
