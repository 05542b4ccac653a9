import type { CarriedOut } from "../aws/carry-out/jobs";
import type { RemovalResult } from "../aws/carry-out/remove-routes";
import { existingConnectionIds } from "../aws/read/find-connections";
import { NotDecidedError } from "../aws/read/read-errors";
import { settleWithConcurrency } from "../concurrency";
import { changesOf, hasChanges } from "../decision/changes";
import { isDead } from "../decision/dead";
import { decide } from "../decision/decide";
import type { SweepPass } from "../events/sweep-message";
import { type OrphanRoute, planOrphanRemovals } from "../routes/orphan-routes";
import { inAws } from "./carry-out-strategy";
import {
  decidedResult,
  type HandleResult,
  handleConnection,
  type WorkflowContext,
} from "./handle-connection";
import { type Assignment, type Listing, targetKey } from "./sweep/assign";
import { readSweep, type SweepRead } from "./sweep/read-sweep";
import {
  bulkReadAt,
  clearPlanned,
  factsFromSnapshot,
  recordAccepted,
  recordChanges,
  recordPlanned,
  recordRemovals,
  type SweepSnapshot,
} from "./sweep/snapshot";
import { type SweepTarget, sweepTargets } from "./sweep-targets";

export interface TargetReport {
  account: string;
  region: string;
  connections: number;
  actions: Record<string, number>;
  orphanRoutesRemoved: number;
  /** Blackhole routes to vanished connections that could not be removed: the next run tries again. */
  orphanRoutesFailed: number;
  /** Blackhole routes to vanished connections left in place because the policy is in report mode. */
  orphanRoutesReported: number;
  error?: string;
}

export interface ReconcileSummary {
  pass: SweepPass;
  targets: number;
  connections: number;
  actions: Record<string, number>;
  changed: number;
  /** Decisions in report mode that would have changed something: nothing was changed. */
  reportOnly: number;
  failed: number;
  orphanRoutesRemoved: number;
  orphanRoutesFailed: number;
  orphanRoutesReported: number;
  /** EC2 calls not sent because the invocation's time was nearly up: the next run makes them. */
  callsNotSent: number;
  perTarget: TargetReport[];
  errors: { account: string; region: string; error: string }[];
}

export interface ReconcileRun {
  summary: ReconcileSummary;
  results: HandleResult[];
  /** The same results, each with the account-region whose listing brought its connection in. */
  swept: SweptResult[];
  /** Blackhole routes to connections EC2 no longer shows, per swept account-region, and what became of them. */
  orphans: OrphanRoutes[];
}

export interface OrphanRoutes {
  target: SweepTarget;
  /** Every one found, with the connection it names. */
  found: OrphanRoute[];
  /** Removed, found absent, or failed. */
  removals: RemovalResult[];
  /** Found and left in place: the policy is in report mode. */
  reported: OrphanRoute[];
}

/** A result and the account-region whose listing brought the connection in. */
export interface SweptResult {
  target: SweepTarget;
  result: HandleResult;
}

/**
 * One pass over every accepter account and region the policy names. Each account-region's
 * connections are listed once and everything the decisions need is read in bulk (see readSnapshot);
 * then, in phases so that one pass is enough: what dead connections left behind is cleared (their
 * routes, and blackhole routes to connections EC2 no longer shows), since such a route may block a
 * living connection's route; pending requests are decided, since rejecting one removes routes made
 * for it in advance; then active connections. Each phase carries its decisions out together (see
 * carryOutAll), paced by the account-regions' request buckets. An account-region that cannot be
 * listed is reported and the others go on.
 *
 * The pending pass lists only pending requests and reads only what their decisions need (their VPCs'
 * route tables and the accepter CIDRs): with nothing pending it costs one listing page per
 * account-region. It looks for no orphan routes, since that needs every table of an account-region.
 */
export async function reconcile(
  ctx: WorkflowContext,
  options: {
    regions: string[];
    concurrency: number;
    pass: SweepPass;
    /** Only these of the account-regions the policy names (a plan narrowed by account or region). */
    only?: (target: SweepTarget) => boolean;
    /** What was read already for these account-regions (plans of several policies share one read). */
    read?: SweepRead;
  },
): Promise<ReconcileRun> {
  const { pass, only = () => true } = options;
  const targets = sweepTargets(ctx.policy, options.regions).filter(only);
  const {
    listings,
    listingErrors: targetErrors,
    assignment,
    snapshot,
  } = options.read ?? (await readSweep(ctx.sessions, ctx.policy, targets, options));
  const orphanSearch = pass === "full" ? listings : [];
  const inPhase = (keep: (status: string) => boolean) =>
    assignment.listed.filter((item) => keep(item.connection.status));

  const [orphans, dead] = await Promise.all([
    removeOrphanRoutes(ctx, orphanSearch, snapshot, options.concurrency, targetErrors),
    decideAndCarryOut(ctx, snapshot, inPhase(isDead)),
  ]);
  const pending = await decideAndCarryOut(
    ctx,
    snapshot,
    inPhase((status) => status === "pending-acceptance"),
  );
  const active = await decideAndCarryOut(
    ctx,
    snapshot,
    inPhase((status) => status === "active"),
  );
  const reread: SweptResult[] = [];
  for (const { target, ref } of assignment.reread)
    reread.push({ target, result: await handleConnection(ref, ctx) });
  const skipped = assignment.skipped.map(
    ({ target, ref, reason }): SweptResult => ({
      target,
      result: { kind: "skipped", ref, reason },
    }),
  );

  const swept = [...dead, ...pending, ...active, ...reread, ...skipped];
  return {
    summary: {
      pass,
      ...summarize(targets, swept, orphans, targetErrors),
      callsNotSent: ctx.sessions.callsNotSent,
    },
    results: swept.map(({ result }) => result),
    swept,
    orphans,
  };
}

/** Decides every connection of one phase from the snapshot and carries the decisions out together. */
async function decideAndCarryOut(
  ctx: WorkflowContext,
  snapshot: SweepSnapshot,
  items: Assignment["listed"],
): Promise<SweptResult[]> {
  const results: SweptResult[] = [];
  const decided = [];
  for (const { target, connection } of items) {
    const read = factsFromSnapshot(snapshot, connection, ctx.now(), ctx.quotas);
    if ("error" in read) {
      // Throttled, failing or unreachable while reading: nothing was decided, and the record says so.
      const ref = { connectionId: connection.id, ...target };
      const failure = new NotDecidedError(connection.id, read.error);
      results.push({ target, result: { kind: "failed", ref, failure } });
    } else {
      const decision = decide(read.facts, ctx.policy);
      // The next request to the same VPC is checked against the count this accept leaves, and the next
      // decision writing to the same tables and groups against what this one creates there.
      if (decision.action === "accept" && decision.mode === "enforce") recordAccepted(snapshot, connection);
      recordPlanned(snapshot, decision);
      decided.push({ target, decision, currentTags: connection.tags });
    }
  }
  const carried = await (ctx.carryOut ?? inAws).carryOutAll(decided, {
    sessions: ctx.sessions,
    activeWait: ctx.waits.active,
    now: ctx.now(),
  });
  clearPlanned(snapshot);
  decided.forEach(({ target, decision }, i) => {
    // carryOutAll answers one result per decision given.
    const done = carried[i] as CarriedOut;
    recordChanges(snapshot, decision.connectionId, done.outcome);
    results.push({ target, result: decidedResult(decision, done) });
  });
  return results;
}

/**
 * Blackhole routes to connections that no listing shows any more, per swept account-region. No rule
 * governs them, so the policy's own mode says whether they are removed or only reported.
 */
async function removeOrphanRoutes(
  ctx: WorkflowContext,
  listings: Listing[],
  snapshot: SweepSnapshot,
  concurrency: number,
  targetErrors: Map<string, unknown>,
): Promise<OrphanRoutes[]> {
  const settled = await settleWithConcurrency(listings, concurrency, async ({ target, connections }) => {
    const tables = bulkReadAt(snapshot.tables, target);
    if (tables.kind === "failed") throw tables.error;
    // Listed but its route tables cannot be read: a role missing a permission, which the summary must name.
    if (tables.kind === "unreadable") throw new Error(tables.reason);
    const visible = new Set(connections.map((c) => c.id));
    const candidates = planOrphanRemovals(target, [...tables.value.values()].flat(), visible);
    if (candidates.length === 0) return [];
    // A connection the status listing did not show may still exist in another status: ask for it by id.
    const ec2 = ctx.sessions.ec2(target.account, target.region);
    const stillThere = await existingConnectionIds(ec2, [...new Set(candidates.map((c) => c.connectionId))]);
    return candidates.filter((c) => !stillThere.has(c.connectionId));
  });
  const report = ctx.policy.mode === "report";
  return Promise.all(
    settled.map(async (result): Promise<OrphanRoutes> => {
      const { target } = result.item;
      if (result.status === "rejected") {
        targetErrors.set(targetKey(target), result.reason);
        return { target, found: [], removals: [], reported: [] };
      }
      const found = result.value;
      if (report) return { target, found, removals: [], reported: found };
      const removals = await (ctx.carryOut ?? inAws).removeRoutes(ctx.sessions, found);
      recordRemovals(snapshot, removals);
      return { target, found, removals, reported: [] };
    }),
  );
}

function summarize(
  targets: SweepTarget[],
  swept: SweptResult[],
  orphans: OrphanRoutes[],
  targetErrors: Map<string, unknown>,
): Omit<ReconcileSummary, "pass" | "callsNotSent"> {
  const results = swept.map(({ result }) => result);
  const perTarget = targets.map(({ account, region }): TargetReport => {
    const key = targetKey({ account, region });
    const own = swept.filter(({ target }) => targetKey(target) === key).map(({ result }) => result);
    const ownOrphans = orphans.filter(({ target }) => targetKey(target) === key);
    const removals = ownOrphans.flatMap(({ removals }) => removals);
    const reason = targetErrors.get(key);
    return {
      account,
      region,
      connections: own.length,
      actions: countActions(own),
      orphanRoutesRemoved: removals.filter((o) => o.result === "removed").length,
      orphanRoutesFailed: removals.filter((o) => o.result === "failed").length,
      orphanRoutesReported: ownOrphans.reduce((n, o) => n + o.reported.length, 0),
      ...(targetErrors.has(key) && {
        error: reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason),
      }),
    };
  });
  const decided = results.flatMap((r) => (r.kind === "decided" ? [r] : []));
  return {
    targets: targets.length,
    connections: results.length,
    actions: countActions(results),
    changed: decided.filter((r) => r.record.changed).length,
    reportOnly: decided.filter((r) => r.decision.mode === "report" && hasChanges(changesOf(r.decision)))
      .length,
    failed: decided.filter((r) => r.failure).length + results.filter((r) => r.kind === "failed").length,
    orphanRoutesRemoved: perTarget.reduce((n, t) => n + t.orphanRoutesRemoved, 0),
    orphanRoutesFailed: perTarget.reduce((n, t) => n + t.orphanRoutesFailed, 0),
    orphanRoutesReported: perTarget.reduce((n, t) => n + t.orphanRoutesReported, 0),
    perTarget,
    errors: perTarget.flatMap((t) =>
      t.error ? [{ account: t.account, region: t.region, error: t.error }] : [],
    ),
  };
}

function countActions(results: HandleResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = r.kind === "decided" ? r.record.action : r.kind;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
