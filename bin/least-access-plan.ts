import { contains } from "../shared/cidr";
import type { Action } from "../shared/decision/decision";
import type { PeeringSide } from "../shared/facts";
import type { Mode } from "../shared/policy/schema";
import type { PlannedRemoval } from "../shared/routes/plan-removals";
import type { PassPlan, PlannedConnection } from "../shared/workflow/plan-pass";
import type { SweepTarget } from "../shared/workflow/sweep-targets";
import {
  align,
  connectionSummary,
  type FailureView,
  labelled,
  type RouteView,
  routeCells,
  toPlanView,
} from "./plan-view";

/**
 * `plan --least-access` exits 0 when no route to a peering connection has a whole peer VPC as its
 * destination now, 3 when some do (2 is plan's "changes", which this report does not answer), 1 on an
 * error: a report over what could not all be read attests nothing.
 */
export const LEAST_ACCESS_EXIT = { leastAccess: 0, failed: 1, wholeVpc: 3 } as const;

/**
 * One route to a connection: one that exists now (`change` none or remove) or that the decision would
 * create. In report mode the pass carries nothing out, so `afterNextPass` is `now`.
 */
export interface AccessRoute extends RouteView {
  /** Routes every address of one of the peer VPC's CIDRs: the CIDR itself, or a block containing it. */
  wholeVpc: boolean;
  change: "none" | "create" | "remove";
  now: boolean;
  afterNextPass: boolean;
}

export interface RouteCount {
  routes: number;
  wholeVpc: number;
}

export interface ConnectionAccess {
  connectionId: string;
  target: SweepTarget;
  status: string;
  action: Action;
  mode: Mode;
  rule?: string;
  requester: PeeringSide;
  accepter: PeeringSide;
  routes: AccessRoute[];
  now: RouteCount;
  afterNextPass: RouteCount;
}

export interface AccessTotals {
  connections: number;
  /** Connections with at least one whole-VPC route now. */
  connectionsWholeVpcNow: number;
  routesNow: number;
  wholeVpcNow: number;
  routesAfterNextPass: number;
  wholeVpcAfterNextPass: number;
  skipped: number;
  failures: number;
}

/** What `plan --least-access --json` prints (with the policy and the source). */
export interface AccessReport {
  targets: SweepTarget[];
  /** Every connection decided, by id. */
  connections: ConnectionAccess[];
  skipped: { connectionId: string; account: string; region: string; reason: string }[];
  failures: FailureView[];
  totals: AccessTotals;
}

/**
 * The routes to each decided connection, now and after the next pass, each flagged when it routes a
 * whole peer VPC. Orphan blackhole routes are left out: their connection is gone and they carry nothing.
 */
export function accessReport(plan: PassPlan): AccessReport {
  const { targets, skipped, failures } = toPlanView(plan);
  const connections = plan.connections
    .map(connectionAccess)
    .sort((a, b) => a.connectionId.localeCompare(b.connectionId));
  const sum = (count: (c: ConnectionAccess) => number) => connections.reduce((n, c) => n + count(c), 0);
  return {
    targets,
    connections,
    skipped,
    failures,
    totals: {
      connections: connections.length,
      connectionsWholeVpcNow: connections.filter((c) => c.now.wholeVpc > 0).length,
      routesNow: sum((c) => c.now.routes),
      wholeVpcNow: sum((c) => c.now.wholeVpc),
      routesAfterNextPass: sum((c) => c.afterNextPass.routes),
      wholeVpcAfterNextPass: sum((c) => c.afterNextPass.wholeVpc),
      skipped: skipped.length,
      failures: failures.length,
    },
  };
}

export function accessExitCode(report: AccessReport): number {
  if (report.totals.failures > 0) return LEAST_ACCESS_EXIT.failed;
  return report.totals.wholeVpcNow > 0 ? LEAST_ACCESS_EXIT.wholeVpc : LEAST_ACCESS_EXIT.leastAccess;
}

function connectionAccess(planned: PlannedConnection): ConnectionAccess {
  const { decision, changes } = planned;
  const { mode, requester, accepter } = decision;
  const enforced = mode === "enforce";
  const removed = new Set(changes.removeRoutes.map(key));
  const peerCidrs = { accepter: requester.cidrs, requester: accepter.cidrs };
  const route = (r: PlannedRemoval, change: AccessRoute["change"]): AccessRoute => ({
    side: r.side,
    account: r.account,
    region: r.region,
    routeTableId: r.routeTableId,
    destination: r.destination,
    wholeVpc: peerCidrs[r.side].some((cidr) => contains(r.destination, cidr)),
    change,
    now: change !== "create",
    afterNextPass: enforced ? change !== "remove" : change !== "create",
  });
  const routes = [
    ...decision.plan.filter((r) => r.status === "present").map((r) => route(r, "none")),
    ...decision.removals.map((r) => route(r, removed.has(key(r)) ? "remove" : "none")),
    ...changes.createRoutes.map((r) => route(r, "create")),
  ];
  const tally = (when: (r: AccessRoute) => boolean): RouteCount => ({
    routes: routes.filter(when).length,
    wholeVpc: routes.filter((r) => when(r) && r.wholeVpc).length,
  });
  return {
    ...connectionSummary(planned),
    routes,
    now: tally((r) => r.now),
    afterNextPass: tally((r) => r.afterNextPass),
  };
}

function key(r: PlannedRemoval): string {
  return `${r.side} ${r.routeTableId} ${r.destination}`;
}

/** The report as lines: the connections with routes, each route flagged, then totals and the verdict. */
export function formatAccessReport(report: AccessReport): string[] {
  const lines = [
    "Routes to peering connections, flagged whole VPC when the destination is a peer VPC CIDR (or holds one)",
  ];
  for (const c of report.connections.filter((c) => c.routes.length > 0))
    lines.push("", ...formatConnection(c));
  if (report.skipped.length > 0) {
    lines.push("", `NOT DECIDED (${report.skipped.length})`);
    for (const s of report.skipped) lines.push(`  ${s.connectionId}  ${s.account} ${s.region}: ${s.reason}`);
  }
  const t = report.totals;
  lines.push(
    "",
    "Totals:",
    ...align([
      ["connections read", `${t.connections}`],
      ["routes now", `${t.routesNow}`],
      ["  of which whole-VPC", `${t.wholeVpcNow} (in ${count(t.connectionsWholeVpcNow, "connection")})`],
      ["routes after the next pass", `${t.routesAfterNextPass}`],
      ["  of which whole-VPC", `${t.wholeVpcAfterNextPass}`],
      ...(t.skipped > 0 ? [["not decided", `${t.skipped}`]] : []),
      ["failures", `${t.failures}`],
    ]).map((line) => `  ${line}`),
    "",
    t.wholeVpcNow > 0
      ? `Not least access: ${t.wholeVpcNow} of ${t.routesNow} routes to peering connections route a whole peer VPC now.`
      : "Least access: no route to a peering connection routes a whole peer VPC now.",
  );
  return lines;
}

const CHANGE: Record<Mode, Record<AccessRoute["change"], string>> = {
  enforce: { none: "exists", create: "create", remove: "remove" },
  report: { none: "exists", create: "create if enforced", remove: "remove if enforced" },
};

function formatConnection(c: ConnectionAccess): string[] {
  const rule = c.rule ? `rule ${c.rule}` : "no rule";
  const mode = c.mode === "report" ? "  (report mode: the pass changes nothing)" : "";
  const side = (s: PeeringSide) => `${s.account} ${s.region} ${s.vpcId}`;
  const rows = c.routes.map((r) => [
    ...routeCells(r),
    r.wholeVpc ? "whole VPC" : "narrow",
    CHANGE[c.mode][r.change],
  ]);
  const count = ({ routes, wholeVpc }: RouteCount) => `${routes} (${wholeVpc} whole-VPC)`;
  return [
    `  ${c.connectionId}  ${c.action.toUpperCase()}  ${rule}  ${c.status}${mode}`,
    `    peers    requester ${side(c.requester)} -> accepter ${side(c.accepter)}`,
    ...labelled("routes", align(rows)),
    `    totals   now ${count(c.now)}; after the next pass ${count(c.afterNextPass)}`,
  ];
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
