import type { WaitBounds } from "../aws/read/waiters";
import type { AwsSessions } from "../aws/sessions/sessions";
import { type Changes, changesOf } from "../decision/changes";
import type { Decision } from "../decision/decision";
import type { ConnectionRef } from "../events/connection-ref";
import type { Quotas } from "../facts";
import type { Policy } from "../policy/schema";
import type { OrphanRoute } from "../routes/orphan-routes";
import { onPaper } from "./carry-out-strategy";
import { type ReconcileRun, reconcile } from "./reconcile";
import { readSweeps, type SweepRead } from "./sweep/read-sweep";
import { type SweepTarget, sweepTargets } from "./sweep-targets";

export interface PlanContext {
  /** Read-only use: the plan carries nothing out. */
  sessions: AwsSessions;
  /** Regions swept for rules that name no accepter regions. */
  regions: string[];
  /** Account-regions read at once. */
  concurrency: number;
  /** How long a connection seen from its requester's side is waited for on its accepter's. */
  visibleWait: WaitBounds;
  now: () => Date;
  /** Which of the account-regions the policies name are read (all, or those --account/--region name). */
  only: (target: SweepTarget) => boolean;
  /** Checked before a request is accepted, as the service checks them. */
  quotas?: Quotas;
}

/** One connection as a full pass would decide it, and what carrying the decision out would change. */
export interface PlannedConnection {
  /** The account-region whose listing brought the connection in. */
  target: SweepTarget;
  decision: Decision;
  /** In report mode: what enforcing it would change; nothing is changed. */
  changes: Changes;
}

/** What a full reconciler pass would do now, read live and decided as the pass decides. */
export interface PassPlan {
  targets: SweepTarget[];
  connections: PlannedConnection[];
  /** Blackhole routes to connections EC2 no longer shows, which a pass removes (or, in report mode, reports). */
  orphanRoutes: { mode: Policy["mode"]; removals: OrphanRoute[] };
  skipped: { ref: ConnectionRef; reason: string }[];
  /** Account-regions that could not be listed or read (no connectionId), and connections not decided. */
  failures: { account: string; region: string; connectionId?: string; error: Error }[];
}

/**
 * Plans a full pass per policy: the reconciler itself, with the same bulk reads and the same phases,
 * carrying its decisions out on paper (see onPaper), so that what a plan says is what a pass would do.
 * The policies share one read of the organisation (see readSweeps): each account-region any of them
 * names is listed and read once, so that the plans differ by their policies alone.
 */
export async function planPasses(ctx: PlanContext, policies: Policy[]): Promise<PassPlan[]> {
  const { only } = ctx;
  const reads = await readSweeps(
    ctx.sessions,
    policies.map((policy) => ({ policy, targets: sweepTargets(policy, ctx.regions).filter(only) })),
    { pass: "full", concurrency: ctx.concurrency },
  );
  const plans: PassPlan[] = [];
  for (const [i, policy] of policies.entries()) {
    const run = await reconcile(
      {
        policy,
        sessions: ctx.sessions,
        // A plan never accepts, so it never waits for a connection to become active.
        waits: { visible: ctx.visibleWait, active: ctx.visibleWait },
        now: ctx.now,
        carryOut: onPaper,
        ...(ctx.quotas && { quotas: ctx.quotas }),
      },
      // readSweeps answers one read per policy given.
      { regions: ctx.regions, concurrency: ctx.concurrency, pass: "full", only, read: reads[i] as SweepRead },
    );
    plans.push(toPassPlan(run, policy));
  }
  return plans;
}

function toPassPlan(run: ReconcileRun, policy: Policy): PassPlan {
  const plan: PassPlan = {
    targets: run.summary.perTarget.map(({ account, region }) => ({ account, region })),
    connections: [],
    orphanRoutes: { mode: policy.mode, removals: run.orphans.flatMap((o) => o.found) },
    skipped: [],
    failures: run.summary.errors.map(({ account, region, error }) => ({
      account,
      region,
      error: new Error(error),
    })),
  };
  for (const { target, result } of run.swept) {
    if (result.kind === "skipped") plan.skipped.push({ ref: result.ref, reason: result.reason });
    else if (result.kind === "failed") plan.failures.push({ ...result.ref, error: result.failure });
    else plan.connections.push({ target, decision: result.decision, changes: changesOf(result.decision) });
  }
  return plan;
}
