import type { Action } from "../shared/decision/decision";
import type { Mode } from "../shared/policy/schema";
import type { RuleRef } from "../shared/workflow/decision-record";
import {
  align,
  type ConnectionView,
  type DnsView,
  labelled,
  type OrphanRouteView,
  type PlanView,
  type RouteView,
  routeCells,
  ruleCells,
} from "./plan-view";

/** Items one plan has and the other has not. */
export interface OneSided<T> {
  onlyOld: T[];
  onlyNew: T[];
}

/** How one connection's plan differs between two policies; a side absent means the same in both. */
export interface ConnectionDiff {
  connectionId: string;
  /** The connection as each plan decided it; absent when that plan did not decide it (another target set). */
  old?: { action: Action; mode: Mode; rule?: string };
  new?: { action: Action; mode: Mode; rule?: string };
  actionChanged: boolean;
  /** Report mode in one plan and not in the other: the same changes made in one, only reported in the other. */
  modeChanged: boolean;
  createRoutes: OneSided<RouteView>;
  removeRoutes: OneSided<RouteView>;
  enableDns: OneSided<DnsView>;
  /** The security-group rules one plan opens or revokes and the other not. */
  securityGroupRules: { create: OneSided<RuleRef>; revoke: OneSided<RuleRef> };
}

export interface PlanDiff {
  connections: ConnectionDiff[];
  orphanRoutes: { oldMode: Mode; newMode: Mode; routes: OneSided<OrphanRouteView> };
  totals: {
    connections: number;
    actionChanges: number;
    modeChanges: number;
    routesToCreateOnlyOld: number;
    routesToCreateOnlyNew: number;
    routesToRemoveOnlyOld: number;
    routesToRemoveOnlyNew: number;
    dnsOnlyOld: number;
    dnsOnlyNew: number;
    rulesToOpenOnlyOld: number;
    rulesToOpenOnlyNew: number;
    rulesToRevokeOnlyOld: number;
    rulesToRevokeOnlyNew: number;
    orphanRoutes: number;
  };
}

/**
 * What differs between two plans of the same organisation, per connection: its action, its mode, the
 * routes, DNS changes and security-group rules one plan makes and the other not; and the orphan
 * blackhole routes. A connection that differs in nothing but its rule's name is left out: the pass
 * would do the same.
 */
export function diffPlans(old: PlanView, next: PlanView): PlanDiff {
  const before = new Map(old.connections.map((c) => [c.connectionId, c]));
  const after = new Map(next.connections.map((c) => [c.connectionId, c]));
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  const connections = ids.map((id) => diffConnection(id, before.get(id), after.get(id))).filter(differs);
  const orphanMode = old.orphanRoutes.mode !== next.orphanRoutes.mode;
  const orphanRoutes = oneSided(old.orphanRoutes.routes, next.orphanRoutes.routes, routeKey);
  const sum = (of: (d: ConnectionDiff) => number) => connections.reduce((n, d) => n + of(d), 0);
  return {
    connections,
    orphanRoutes: { oldMode: old.orphanRoutes.mode, newMode: next.orphanRoutes.mode, routes: orphanRoutes },
    totals: {
      connections: connections.length,
      actionChanges: connections.filter((d) => d.actionChanged).length,
      modeChanges: connections.filter((d) => d.modeChanged).length,
      routesToCreateOnlyOld: sum((d) => d.createRoutes.onlyOld.length),
      routesToCreateOnlyNew: sum((d) => d.createRoutes.onlyNew.length),
      routesToRemoveOnlyOld: sum((d) => d.removeRoutes.onlyOld.length),
      routesToRemoveOnlyNew: sum((d) => d.removeRoutes.onlyNew.length),
      dnsOnlyOld: sum((d) => d.enableDns.onlyOld.length),
      dnsOnlyNew: sum((d) => d.enableDns.onlyNew.length),
      rulesToOpenOnlyOld: sum((d) => d.securityGroupRules.create.onlyOld.length),
      rulesToOpenOnlyNew: sum((d) => d.securityGroupRules.create.onlyNew.length),
      rulesToRevokeOnlyOld: sum((d) => d.securityGroupRules.revoke.onlyOld.length),
      rulesToRevokeOnlyNew: sum((d) => d.securityGroupRules.revoke.onlyNew.length),
      // With a mode change, every orphan route is done in one plan and only reported in the other.
      orphanRoutes:
        orphanRoutes.onlyOld.length +
        orphanRoutes.onlyNew.length +
        (orphanMode ? Math.max(old.orphanRoutes.routes.length, next.orphanRoutes.routes.length) : 0),
    },
  };
}

export function hasDifferences(diff: PlanDiff): boolean {
  return diff.connections.length > 0 || diff.totals.orphanRoutes > 0;
}

function diffConnection(
  connectionId: string,
  old: ConnectionView | undefined,
  next: ConnectionView | undefined,
): ConnectionDiff {
  const decided = (c: ConnectionView) => ({
    action: c.action,
    mode: c.mode,
    ...(c.rule !== undefined && { rule: c.rule }),
  });
  const empty = { createRoutes: [], removeRoutes: [], enableDns: [] };
  const a = old ?? empty;
  const b = next ?? empty;
  // A policy that opens no group plans no rule: the same as none to open or revoke.
  const rules = (c: ConnectionView | undefined) => c?.securityGroupRules ?? { create: [], revoke: [] };
  return {
    connectionId,
    ...(old && { old: decided(old) }),
    ...(next && { new: decided(next) }),
    actionChanged: old?.action !== next?.action,
    modeChanged: old !== undefined && next !== undefined && old.mode !== next.mode,
    createRoutes: oneSided(a.createRoutes, b.createRoutes, routeKey),
    removeRoutes: oneSided(a.removeRoutes, b.removeRoutes, routeKey),
    enableDns: oneSided(a.enableDns, b.enableDns, (d) => `${d.side} ${d.account} ${d.region}`),
    securityGroupRules: {
      create: oneSided(rules(old).create, rules(next).create, ruleKey),
      revoke: oneSided(rules(old).revoke, rules(next).revoke, ruleKey),
    },
  };
}

function differs(d: ConnectionDiff): boolean {
  const { create, revoke } = d.securityGroupRules;
  const sided = [d.createRoutes, d.removeRoutes, d.enableDns, create, revoke];
  return d.actionChanged || d.modeChanged || sided.some((s) => s.onlyOld.length + s.onlyNew.length > 0);
}

function oneSided<T>(old: T[], next: T[], key: (item: T) => string): OneSided<T> {
  const inOld = new Set(old.map(key));
  const inNew = new Set(next.map(key));
  return {
    onlyOld: old.filter((item) => !inNew.has(key(item))),
    onlyNew: next.filter((item) => !inOld.has(key(item))),
  };
}

function routeKey(r: RouteView): string {
  return `${r.account} ${r.region} ${r.routeTableId} ${r.destination}`;
}

// Both plans read the same groups, so a rule to revoke has the same id in both.
function ruleKey(r: RuleRef): string {
  return `${r.account} ${r.region} ${r.groupId} ${r.protocol} ${r.ports} ${r.source} ${r.ruleId ?? ""}`;
}

/** The differences as lines for a terminal, one block per connection, then orphans and totals. */
export function formatPlanDiff(diff: PlanDiff): string[] {
  const lines: string[] = [];
  for (const d of diff.connections) lines.push("", ...formatConnectionDiff(d));
  const { oldMode, newMode, routes } = diff.orphanRoutes;
  const orphans = [
    ...routes.onlyOld.map((r) => ["old plan only", ...routeCells(r)]),
    ...routes.onlyNew.map((r) => ["new plan only", ...routeCells(r)]),
  ];
  if (oldMode !== newMode || orphans.length > 0) {
    lines.push("", "ORPHAN BLACKHOLE ROUTES");
    if (oldMode !== newMode) lines.push(`    mode     ${describeMode(oldMode)} -> ${describeMode(newMode)}`);
    lines.push(...labelled("remove", align(orphans)));
  }
  if (!hasDifferences(diff)) lines.push("", "No differences: both policies would make the same changes.");
  lines.push("", ...formatDiffTotals(diff.totals));
  return lines;
}

function formatConnectionDiff(d: ConnectionDiff): string[] {
  const decided = (side: ConnectionDiff["old"]) =>
    side ? `${side.action.toUpperCase()}${side.mode === "report" ? " (report mode)" : ""}` : "(not read)";
  const rule = (side: ConnectionDiff["old"]) => (side?.rule ? `rule ${side.rule}` : "no rule");
  const header = d.actionChanged
    ? `${decided(d.old)} -> ${decided(d.new)}`
    : `${decided(d.new)}${d.modeChanged ? ` (old plan: ${decided(d.old)})` : ""}`;
  const rules = rule(d.old) === rule(d.new) ? rule(d.new) : `${rule(d.old)} -> ${rule(d.new)}`;
  const sided = <T>(verb: string, s: OneSided<T>, cells: (item: T) => string[]) => [
    ...s.onlyOld.map((item) => [verb, "old plan only", ...cells(item)]),
    ...s.onlyNew.map((item) => [verb, "new plan only", ...cells(item)]),
  ];
  const rows = [
    ...sided("create", d.createRoutes, routeCells),
    ...sided("remove", d.removeRoutes, routeCells),
    ...sided("dns", d.enableDns, (dns) => [dns.side, dns.account, dns.region]),
    ...sided("open", d.securityGroupRules.create, ruleCells),
    ...sided("revoke", d.securityGroupRules.revoke, ruleCells),
  ];
  return [
    `  ${d.connectionId}  ${header}  ${rules}`,
    ...(d.modeChanged && d.old && d.new
      ? [`    mode     ${describeMode(d.old.mode)} -> ${describeMode(d.new.mode)}`]
      : []),
    ...labelled("changes", align(rows)),
  ];
}

function describeMode(mode: Mode): string {
  return mode === "report" ? "report (changes only reported)" : "enforce (changes made)";
}

function formatDiffTotals(t: PlanDiff["totals"]): string[] {
  const sided = (old: number, only: number) => `${old} old plan only, ${only} new plan only`;
  const rows = [
    [
      "connections",
      `${t.connections} (${t.actionChanges} with another action, ${t.modeChanges} with another mode)`,
    ],
    ["routes to create", sided(t.routesToCreateOnlyOld, t.routesToCreateOnlyNew)],
    ["routes to remove", sided(t.routesToRemoveOnlyOld, t.routesToRemoveOnlyNew)],
    ["DNS changes", sided(t.dnsOnlyOld, t.dnsOnlyNew)],
    ["security-group rules to open", sided(t.rulesToOpenOnlyOld, t.rulesToOpenOnlyNew)],
    ["security-group rules to revoke", sided(t.rulesToRevokeOnlyOld, t.rulesToRevokeOnlyNew)],
    ["orphan routes", `${t.orphanRoutes}`],
  ];
  return ["Differences:", ...align(rows).map((line) => `  ${line}`)];
}
