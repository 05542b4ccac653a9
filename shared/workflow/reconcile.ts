import { existingConnectionIds, listConnections } from "../aws/find-connections";
import { readRouteTables } from "../aws/read-facts";
import { type RemovalResult, removeRoutes } from "../aws/remove-routes";
import { settleWithConcurrency } from "../concurrency";
import { planOrphanRemovals } from "../routes/orphan-routes";
import {
  type ConnectionRef,
  type HandleResult,
  handleConnection,
  type WorkflowContext,
} from "./handle-connection";
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
 * One pass over every accepter account and region the policy names: each connection in a status that
 * needs something (pending, active, dead) goes through the same path as an event, then blackhole routes
 * to connections EC2 no longer shows are removed. An account-region that fails is reported and the
 * others go on.
 */
export async function reconcile(
  ctx: WorkflowContext,
  options: { regions: string[]; concurrency: number },
): Promise<ReconcileRun> {
  const targets = sweepTargets(ctx.policy, options.regions);
  const claimed = new Set<string>();
  const settled = await settleWithConcurrency(targets, options.concurrency, (target) =>
    sweepTarget(ctx, target, claimed),
  );

  const results: HandleResult[] = [];
  const orphanRemovals: RemovalResult[] = [];
  const perTarget = settled.map((outcome, i): TargetReport => {
    const { account, region } = targets[i] as SweepTarget;
    if (outcome.status === "rejected") {
      const error =
        outcome.reason instanceof Error
          ? `${outcome.reason.name}: ${outcome.reason.message}`
          : String(outcome.reason);
      return { account, region, connections: 0, actions: {}, orphanRoutesRemoved: 0, error };
    }
    results.push(...outcome.value.results);
    orphanRemovals.push(...outcome.value.orphans);
    return {
      account,
      region,
      connections: outcome.value.results.length,
      actions: countActions(outcome.value.results),
      orphanRoutesRemoved: outcome.value.orphans.filter((o) => o.result === "removed").length,
    };
  });

  const decided = results.flatMap((r) => (r.kind === "decided" ? [r] : []));
  const summary: ReconcileSummary = {
    targets: targets.length,
    connections: results.length,
    actions: countActions(results),
    changed: decided.filter((r) => r.record.changed).length,
    failed: decided.filter((r) => r.failure).length + results.filter((r) => r.kind === "failed").length,
    orphanRoutesRemoved: perTarget.reduce((n, t) => n + t.orphanRoutesRemoved, 0),
    perTarget,
    errors: perTarget.flatMap((t) =>
      t.error ? [{ account: t.account, region: t.region, error: t.error }] : [],
    ),
  };
  return { summary, results, orphanRemovals };
}

async function sweepTarget(ctx: WorkflowContext, target: SweepTarget, claimed: Set<string>) {
  const ec2 = ctx.sessions.ec2(target.account, target.region);
  const connections = await listConnections(ec2, SWEPT_STATUSES);
  const visible = new Set(connections.map((c) => c.VpcPeeringConnectionId ?? ""));
  // A connection between two swept accounts is listed by both; the first sweep to see it decides it.
  const mine = [...visible].filter((id) => id && !claimed.has(id));
  for (const id of mine) claimed.add(id);

  const results: HandleResult[] = [];
  for (const connectionId of mine) {
    results.push(await handleSafely(ctx, { connectionId, ...target }));
  }
  const orphans = await removeOrphanRoutes(ctx, target, visible);
  return { results, orphans };
}

/** One connection's unexpected error becomes its own failed result instead of ending the sweep. */
async function handleSafely(ctx: WorkflowContext, ref: ConnectionRef): Promise<HandleResult> {
  try {
    return await handleConnection(ref, ctx);
  } catch (error) {
    return { kind: "failed", ref, failure: error as Error };
  }
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
