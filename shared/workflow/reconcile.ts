import { existingConnectionIds, listConnections } from "../aws/find-connections";
import { readRouteTables } from "../aws/read-facts";
import { type RemovalResult, removeRoutes } from "../aws/remove-routes";
import { settleWithConcurrency } from "../concurrency";
import { planOrphanRemovals } from "../routes/orphan-routes";
import { type HandleResult, handleConnection, type WorkflowContext } from "./handle-connection";
import { type SweepTarget, sweepTargets } from "./sweep-targets";

const SWEPT_STATUSES = ["pending-acceptance", "active", "deleted", "rejected", "expired", "failed"];

export interface TargetReport {
  account: string;
  region: string;
  connections: number;
  actions: Record<string, number>;
  orphanRoutesRemoved: number;
  error?: string;
}

export interface ReconcileSummary {
  targets: number;
  connections: number;
  actions: Record<string, number>;
  changed: number;
  failed: number;
  orphanRoutesRemoved: number;
  perTarget: TargetReport[];
  errors: { account: string; region: string; error: string }[];
}

export interface ReconcileRun {
  summary: ReconcileSummary;
  results: HandleResult[];
  orphanRemovals: RemovalResult[];
}

/**
 * One pass over every accepter account and region the policy names, in two phases so that one pass is
 * enough: first what dead connections left behind is cleared (their routes, and blackhole routes to
 * connections EC2 no longer shows), since such a route may block a living connection's route; then every
 * pending and active connection goes through the same path as an event. An account-region that fails is
 * reported and the others go on.
 */
export async function reconcile(
  ctx: WorkflowContext,
  options: { regions: string[]; concurrency: number },
): Promise<ReconcileRun> {
  const targets = sweepTargets(ctx.policy, options.regions);
  const claimed = new Set<string>();
  const cleared = await settleWithConcurrency(targets, options.concurrency, (target) =>
    clearTarget(ctx, target, claimed),
  );
  const decided = await settleWithConcurrency(targets, options.concurrency, async (target) => {
    const phase1 = cleared[targets.indexOf(target)];
    if (phase1?.status !== "fulfilled") throw phase1?.reason;
    return handleAll(ctx, target, phase1.value.living);
  });

  const results: HandleResult[] = [];
  const orphanRemovals: RemovalResult[] = [];
  const perTarget = targets.map(({ account, region }, i): TargetReport => {
    const phase1 = cleared[i];
    const phase2 = decided[i];
    if (phase1?.status !== "fulfilled" || phase2?.status !== "fulfilled") {
      const reason = phase1?.status === "rejected" ? phase1.reason : (phase2 as PromiseRejectedResult).reason;
      const error = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
      return { account, region, connections: 0, actions: {}, orphanRoutesRemoved: 0, error };
    }
    const targetResults = [...phase1.value.results, ...phase2.value];
    results.push(...targetResults);
    orphanRemovals.push(...phase1.value.orphans);
    return {
      account,
      region,
      connections: targetResults.length,
      actions: countActions(targetResults),
      orphanRoutesRemoved: phase1.value.orphans.filter((o) => o.result === "removed").length,
    };
  });

  const decidedResults = results.flatMap((r) => (r.kind === "decided" ? [r] : []));
  const summary: ReconcileSummary = {
    targets: targets.length,
    connections: results.length,
    actions: countActions(results),
    changed: decidedResults.filter((r) => r.record.changed).length,
    failed:
      decidedResults.filter((r) => r.failure).length + results.filter((r) => r.kind === "failed").length,
    orphanRoutesRemoved: perTarget.reduce((n, t) => n + t.orphanRoutesRemoved, 0),
    perTarget,
    errors: perTarget.flatMap((t) =>
      t.error ? [{ account: t.account, region: t.region, error: t.error }] : [],
    ),
  };
  return { summary, results, orphanRemovals };
}

const DEAD = new Set(["deleted", "rejected", "expired", "failed"]);

/** Phase 1 for one account-region: list its connections, clear orphan routes and dead connections. */
async function clearTarget(ctx: WorkflowContext, target: SweepTarget, claimed: Set<string>) {
  const connections = await listConnections(ctx.sessions.ec2(target.account, target.region), SWEPT_STATUSES);
  const visible = new Set(connections.map((c) => c.VpcPeeringConnectionId ?? ""));
  // A connection between two swept accounts is listed by both; the first sweep to see it decides it.
  const mine = connections.filter((c) => c.VpcPeeringConnectionId && !claimed.has(c.VpcPeeringConnectionId));
  for (const c of mine) claimed.add(c.VpcPeeringConnectionId ?? "");
  const isDead = (c: (typeof mine)[number]) => DEAD.has(c.Status?.Code ?? "");
  const ids = (list: typeof mine) => list.map((c) => c.VpcPeeringConnectionId ?? "");

  const orphans = await removeOrphanRoutes(ctx, target, visible);
  const results = await handleAll(ctx, target, ids(mine.filter(isDead)));
  // Pending requests before active connections: rejecting one removes routes made for it in advance,
  // which may be in an active connection's way.
  const pendingFirst = mine
    .filter((c) => !isDead(c))
    .sort(
      (a, b) =>
        Number(b.Status?.Code === "pending-acceptance") - Number(a.Status?.Code === "pending-acceptance"),
    );
  return { orphans, results, living: ids(pendingFirst) };
}

/** Connections of one account-region, one after the other (the account's EC2 quota is shared). */
async function handleAll(ctx: WorkflowContext, target: SweepTarget, connectionIds: string[]) {
  const results: HandleResult[] = [];
  for (const connectionId of connectionIds) {
    results.push(await handleConnection({ connectionId, ...target }, ctx));
  }
  return results;
}

async function removeOrphanRoutes(ctx: WorkflowContext, target: SweepTarget, visible: Set<string>) {
  const ec2 = ctx.sessions.ec2(target.account, target.region);
  const tables = await readRouteTables(ec2, [{ Name: "route.vpc-peering-connection-id", Values: ["pcx-*"] }]);
  const candidates = planOrphanRemovals(target, tables, visible);
  if (candidates.length === 0) return [];
  // A connection the status listing did not show may still exist in another status: ask for it by id.
  const stillThere = await existingConnectionIds(ec2, [...new Set(candidates.map((c) => c.connectionId))]);
  return removeRoutes(
    ctx.sessions,
    candidates.filter((c) => !stillThere.has(c.connectionId)),
  );
}

function countActions(results: HandleResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = r.kind === "decided" ? r.record.action : r.kind;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
