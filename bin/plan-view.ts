import { hasChanges } from "../shared/decision/changes";
import type { Action, Finding } from "../shared/decision/decision";
import type { PeeringSide } from "../shared/facts";
import type { Mode } from "../shared/policy/schema";
import type { OrphanRoute } from "../shared/routes/orphan-routes";
import type { PlannedRemoval } from "../shared/routes/plan-removals";
import type { Side } from "../shared/routes/plan-routes";
import { type RuleRef, toRuleRef } from "../shared/workflow/decision-record";
import type { PassPlan, PlannedConnection } from "../shared/workflow/plan-pass";
import type { SweepTarget } from "../shared/workflow/sweep-targets";
import { table } from "./format-decision";

/** One route in one table: what a plan creates or removes. */
export interface RouteView {
  side: Side;
  account: string;
  region: string;
  routeTableId: string;
  destination: string;
}

export interface DnsView {
  side: Side;
  account: string;
  region: string;
}

/**
 * What the plan does with a connection: `changes` (carried out by the next pass), `awaits-approval`
 * (nothing until a person answers), `report-only` (a decision in report mode that would change
 * something), or `none`.
 */
export type Effect = "changes" | "awaits-approval" | "report-only" | "none";

/** One connection as `plan` shows it, in text or as JSON. */
export interface ConnectionView {
  connectionId: string;
  /** The accepter account-region whose listing brought the connection in. */
  target: SweepTarget;
  status: string;
  action: Action;
  mode: Mode;
  rule?: string;
  effect: Effect;
  requester: PeeringSide;
  accepter: PeeringSide;
  reasons: string[];
  findings: Finding[];
  /** What carrying the decision out does to the connection itself. */
  connection?: "accept" | "reject";
  /** In report mode, what enforcing the decision would create, remove and enable. */
  createRoutes: RouteView[];
  removeRoutes: RouteView[];
  enableDns: DnsView[];
  /** Present when the policy opens security groups: the rules to open and to revoke. */
  securityGroupRules?: { create: RuleRef[]; revoke: RuleRef[] };
}

export interface OrphanRouteView extends RouteView {
  /** The connection the blackhole route still names, which EC2 no longer shows. */
  connectionId: string;
}

export interface FailureView {
  account: string;
  region: string;
  connectionId?: string;
  error: string;
}

export interface PlanTotals {
  /** Connections decided; skipped and failed ones are counted apart. */
  connections: number;
  /** Connections the next pass changes (report-only ones excluded). */
  withChanges: number;
  routesToCreate: number;
  /** Routes of connections and orphan blackhole routes the next pass removes. */
  routesToRemove: number;
  dnsChanges: number;
  /** Security-group rules the next pass opens and revokes (0 when the policy opens no group). */
  rulesToOpen: number;
  rulesToRevoke: number;
  awaitingApproval: number;
  reportOnly: number;
  skipped: number;
  failures: number;
}

/** A plan as plain data: the JSON `plan --json` prints, and what its text and `--diff` are made from. */
export interface PlanView {
  targets: SweepTarget[];
  /** Every connection decided, in the order of ACTION_ORDER, then by id. */
  connections: ConnectionView[];
  /** Blackhole routes to connections EC2 no longer shows: removed by the pass, or only reported in report mode. */
  orphanRoutes: { mode: Mode; routes: OrphanRouteView[] };
  skipped: { connectionId: string; account: string; region: string; reason: string }[];
  failures: FailureView[];
  totals: PlanTotals;
}

/** The order in which groups are printed: what changes AWS first, what people act on next. */
const ACTION_ORDER: readonly Action[] = [
  "accept",
  "reject",
  "maintain",
  "cleanup",
  "await-approval",
  "ignore",
];

export function toPlanView(plan: PassPlan): PlanView {
  const connections = plan.connections
    .map(toConnectionView)
    .sort(
      (a, b) =>
        ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action) ||
        a.connectionId.localeCompare(b.connectionId),
    );
  const orphanRoutes = plan.orphanRoutes.removals.map(toOrphanView);
  const enforcedOrphans = plan.orphanRoutes.mode === "enforce" ? orphanRoutes.length : 0;
  const changing = connections.filter((c) => c.effect === "changes");
  const sum = (count: (c: ConnectionView) => number) => changing.reduce((n, c) => n + count(c), 0);
  return {
    targets: plan.targets,
    connections,
    orphanRoutes: { mode: plan.orphanRoutes.mode, routes: orphanRoutes },
    skipped: plan.skipped.map(({ ref, reason }) => ({ ...ref, reason })),
    failures: plan.failures.map(({ error, ...where }) => ({ ...where, error: describeError(error) })),
    totals: {
      connections: connections.length,
      withChanges: changing.length,
      routesToCreate: sum((c) => c.createRoutes.length),
      routesToRemove: sum((c) => c.removeRoutes.length) + enforcedOrphans,
      dnsChanges: sum((c) => c.enableDns.length),
      rulesToOpen: sum((c) => c.securityGroupRules?.create.length ?? 0),
      rulesToRevoke: sum((c) => c.securityGroupRules?.revoke.length ?? 0),
      awaitingApproval: connections.filter((c) => c.effect === "awaits-approval").length,
      reportOnly: connections.filter((c) => c.effect === "report-only").length,
      skipped: plan.skipped.length,
      failures: plan.failures.length,
    },
  };
}

/** Whether the next pass would change anything in AWS: report-only decisions and orphans do not count. */
export function planChanges(view: PlanView): boolean {
  return (
    view.totals.withChanges > 0 ||
    (view.orphanRoutes.mode === "enforce" && view.orphanRoutes.routes.length > 0)
  );
}

/** What every report of a planned connection starts with: which connection, where, and its decision. */
export function connectionSummary({ target, decision }: PlannedConnection) {
  const { connectionId, status, action, mode, rule, requester, accepter } = decision;
  return {
    connectionId,
    target,
    status,
    action,
    mode,
    ...(rule !== undefined && { rule }),
    requester,
    accepter,
  };
}

function toConnectionView(planned: PlannedConnection): ConnectionView {
  const { decision, changes } = planned;
  const { action, mode, reasons, findings } = decision;
  return {
    ...connectionSummary(planned),
    effect: effectOf(action, mode, hasChanges(changes)),
    reasons,
    findings,
    ...(changes.connection && { connection: changes.connection }),
    createRoutes: changes.createRoutes.map(routeView),
    removeRoutes: changes.removeRoutes.map(routeView),
    enableDns: changes.enableDns.map(({ side, account, region }) => ({ side, account, region })),
    ...(changes.securityGroupRules && {
      securityGroupRules: {
        create: changes.securityGroupRules.create.map((rule) => toRuleRef(rule)),
        revoke: changes.securityGroupRules.revoke.map((rule) => toRuleRef(rule)),
      },
    }),
  };
}

function effectOf(action: Action, mode: Mode, changes: boolean): Effect {
  if (action === "await-approval") return "awaits-approval";
  if (!changes) return "none";
  return mode === "report" ? "report-only" : "changes";
}

function routeView({ side, account, region, routeTableId, destination }: PlannedRemoval): RouteView {
  return { side, account, region, routeTableId, destination };
}

// The pass finds orphans with the connection they name (OrphanRoute); the plan's type does not say so.
function toOrphanView(removal: OrphanRoute): OrphanRouteView {
  return { ...routeView(removal), connectionId: removal.connectionId };
}

// An AWS service error is named after its code, which its message often leaves out.
function describeError(error: Error): string {
  return "$fault" in error ? `${error.name}: ${error.message}` : error.message;
}

/** The plan as lines for a terminal: the groups that change something, orphans, report-only, totals. */
export function formatPlanView(view: PlanView): string[] {
  const listed = view.connections.filter((c) => c.effect === "changes" || c.effect === "awaits-approval");
  const lines: string[] = [];
  for (const action of ACTION_ORDER) {
    const group = listed.filter((c) => c.action === action);
    if (group.length === 0) continue;
    lines.push("", `${action.toUpperCase()} (${count(group.length, "connection")})`);
    for (const connection of group) lines.push(...formatConnection(connection));
  }
  const orphans = view.orphanRoutes.routes;
  if (orphans.length > 0) {
    const title =
      view.orphanRoutes.mode === "enforce"
        ? `ORPHAN BLACKHOLE ROUTES (${count(orphans.length, "route")} to remove: their connections are gone)`
        : `ORPHAN BLACKHOLE ROUTES, report only: would be removed if enforced (${count(orphans.length, "route")})`;
    lines.push("", title, ...indent(align(orphans.map(orphanRow)), 4));
  }
  const reportOnly = view.connections.filter((c) => c.effect === "report-only");
  if (reportOnly.length > 0) {
    lines.push("", `REPORT ONLY: would change if enforced (${count(reportOnly.length, "connection")})`);
    for (const connection of reportOnly) lines.push(...formatConnection(connection));
  }
  if (view.skipped.length > 0) {
    lines.push("", `NOT DECIDED (${count(view.skipped.length, "connection")})`);
    for (const s of view.skipped) lines.push(`  ${s.connectionId}  ${s.account} ${s.region}: ${s.reason}`);
  }
  if (!planChanges(view)) lines.push("", "No changes: a pass now would change nothing in AWS.");
  const orphansRemoved = view.orphanRoutes.mode === "enforce" ? orphans.length : 0;
  lines.push("", ...formatTotals(view.totals, orphansRemoved));
  return lines;
}

function formatTotals(t: PlanTotals, orphansRemoved: number): string[] {
  const orphans = orphansRemoved > 0 ? ` (${orphansRemoved} orphan)` : "";
  return [
    "Totals:",
    ...indent(
      align([
        ["connections read", `${t.connections}`],
        ["with changes", `${t.withChanges}`],
        ["routes to create", `${t.routesToCreate}`],
        ["routes to remove", `${t.routesToRemove}${orphans}`],
        ["DNS changes", `${t.dnsChanges}`],
        ["security-group rules to open", `${t.rulesToOpen}`],
        ["security-group rules to revoke", `${t.rulesToRevoke}`],
        ["awaiting approval", `${t.awaitingApproval}`],
        ["report-only", `${t.reportOnly}`],
        ...(t.skipped > 0 ? [["not decided", `${t.skipped}`]] : []),
        ["failures", `${t.failures}`],
      ]),
      2,
    ),
  ];
}

function formatConnection(c: ConnectionView): string[] {
  const rule = c.rule ? `rule ${c.rule}` : "no rule";
  const mode = c.mode === "report" ? "  (report mode)" : "";
  const side = (s: PeeringSide) => `${s.account} ${s.region} ${s.vpcId}`;
  return [
    `  ${c.connectionId}  ${c.action.toUpperCase()}  ${rule}  ${c.status}${mode}`,
    `    peers    requester ${side(c.requester)} -> accepter ${side(c.accepter)}`,
    `    reasons  ${c.reasons.join("; ")}`,
    ...labelled("routes", align(routeRows(c))),
    ...labelled("rules", align(ruleRows(c))),
    ...labelled(
      "dns",
      c.enableDns.map((d) => `enable remote DNS resolution: ${d.side} ${d.account} ${d.region}`),
    ),
  ];
}

function routeRows(c: Pick<ConnectionView, "createRoutes" | "removeRoutes">): string[][] {
  return [
    ...c.createRoutes.map((r) => ["create", ...routeCells(r)]),
    ...c.removeRoutes.map((r) => ["remove", ...routeCells(r)]),
  ];
}

function ruleRows(c: Pick<ConnectionView, "securityGroupRules">): string[][] {
  return [
    ...(c.securityGroupRules?.create ?? []).map((r) => ["open", ...ruleCells(r)]),
    ...(c.securityGroupRules?.revoke ?? []).map((r) => ["revoke", ...ruleCells(r)]),
  ];
}

/** A rule's group and what it admits; a rule to revoke ends with its id. */
export function ruleCells(r: RuleRef): string[] {
  return [
    r.side,
    r.account,
    r.region,
    r.groupId,
    r.protocol,
    r.ports,
    r.source,
    ...(r.ruleId ? [r.ruleId] : []),
  ];
}

export function routeCells(r: RouteView): string[] {
  return [r.side, r.account, r.region, r.routeTableId, r.destination];
}

function orphanRow(r: OrphanRouteView): string[] {
  return ["remove", ...routeCells(r), r.connectionId ? `(to ${r.connectionId})` : ""];
}

/** The first line after `label`, the others under it. */
export function labelled(label: string, rows: string[]): string[] {
  return rows.map((row, i) => `    ${(i === 0 ? label : "").padEnd(8)} ${row}`);
}

/** Rows of cells as columns padded to their widest cell; rows may have different numbers of cells. */
export function align(rows: string[][]): string[] {
  if (rows.length === 0) return [];
  const columns = Math.max(...rows.map((row) => row.length));
  return table(Array<string>(columns).fill(""), rows).slice(1);
}

function indent(lines: string[], by: number): string[] {
  return lines.map((line) => `${" ".repeat(by)}${line}`);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
