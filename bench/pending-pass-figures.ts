import type { SweepPass } from "../shared/events/sweep-message";

/**
 * The arithmetic of the pending-pass benchmark (bench/pending-pass.ts): the reconciler's schedules,
 * percentiles, calls per account-region per hour and their share of a request bucket, and the report.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;

/** When ticks reach the sweep queue: the full pass every `fullEveryMs`, the pending pass (if any) more often. */
export interface Schedule {
  fullEveryMs: number;
  pendingEveryMs?: number;
}

/**
 * The first tick after `ms` (both schedules start at 0) and the pass it runs: where both schedules tick
 * at once their ticks arrive in one batch, which runs the full pass.
 */
export function nextTick(ms: number, schedule: Schedule): { at: number; pass: SweepPass } {
  const after = (every: number) => (Math.floor(ms / every) + 1) * every;
  const full = after(schedule.fullEveryMs);
  if (schedule.pendingEveryMs === undefined) return { at: full, pass: "full" };
  const pending = after(schedule.pendingEveryMs);
  return pending < full ? { at: pending, pass: "pending" } : { at: full, pass: "full" };
}

/** `n` times spread evenly over `[0, windowMs)`, each in the middle of its share: a uniform grid. */
export function uniformTimes(n: number, windowMs: number): number[] {
  return Array.from({ length: n }, (_, i) => ((i + 0.5) * windowMs) / n);
}

/**
 * The time from creation to routes of a request no event announces, for `n` creation times spread
 * evenly over one full-pass period: the wait for the next tick, then how long that tick's pass takes
 * from its start to the request's last route (measured, per pass).
 */
export function timesToRoutes(
  schedule: Schedule,
  passToRoutesMs: Record<SweepPass, number>,
  n: number,
): number[] {
  return uniformTimes(n, schedule.fullEveryMs).map((createdAt) => {
    const next = nextTick(createdAt, schedule);
    return next.at - createdAt + passToRoutesMs[next.pass];
  });
}

/** The nearest-rank percentile (0 < p ≤ 100) of non-empty values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error("a percentile of no values");
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export interface Distribution {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function distribution(values: readonly number[]): Distribution {
  return {
    samples: values.length,
    p50Ms: percentile(values, 50),
    p99Ms: percentile(values, 99),
    maxMs: percentile(values, 100),
  };
}

/** API calls made over a stretch of virtual time, by operation, spread over the account-regions swept. */
export interface HourlyCost {
  /** Every EC2 and STS call, per account-region per hour (the average). */
  perTargetPerHour: number;
  byOperation: Record<string, number>;
  /** The account-region with the most calls, and its calls per hour. */
  busiest: { target: string; perHour: number };
  /** DescribeVpcPeeringConnections per account-region per hour, the average and the busiest one's. */
  listingsPerHour: { average: number; busiest: number };
}

export function hourlyCost(
  calls: readonly { operation: string; account: string; region: string }[],
  targets: number,
  elapsedMs: number,
): HourlyCost {
  const hours = elapsedMs / HOUR_MS;
  const perHour = (n: number) => n / hours;
  const byOperation: Record<string, number> = {};
  const byTarget = new Map<string, number>();
  const listingsByTarget = new Map<string, number>();
  for (const call of calls) {
    byOperation[call.operation] = (byOperation[call.operation] ?? 0) + perHour(1) / targets;
    const target = `${call.account}/${call.region}`;
    byTarget.set(target, (byTarget.get(target) ?? 0) + 1);
    if (call.operation === "DescribeVpcPeeringConnections")
      listingsByTarget.set(target, (listingsByTarget.get(target) ?? 0) + 1);
  }
  const [busiestTarget = "none", busiestCalls = 0] = [...byTarget].sort((a, b) => b[1] - a[1])[0] ?? [];
  return {
    perTargetPerHour: perHour(calls.length) / targets,
    byOperation,
    busiest: { target: busiestTarget, perHour: perHour(busiestCalls) },
    listingsPerHour: {
      average: perHour(sum(listingsByTarget)) / targets,
      busiest: perHour(Math.max(0, ...listingsByTarget.values())),
    },
  };
}

function sum(counts: Map<string, number>): number {
  return [...counts.values()].reduce((a, b) => a + b, 0);
}

/** The share of a bucket's refill (tokens per second) that `perHour` calls use. */
export function refillShare(perHour: number, refillPerSecond: number): number {
  return perHour / (refillPerSecond * 3600);
}

export interface PendingPassFigures {
  targets: number;
  latencyMs: number;
  /** DescribeVpcPeeringConnections' bucket per account-region: capacity, refill per second. */
  listingBucket: { capacity: number; refillPerSecond: number };
  nothingPending: HourlyCost;
  parked: { requests: number; cost: HourlyCost };
  /** The full pass every 5 minutes over the same organisation with nothing to change. */
  fullPass: HourlyCost;
  /** Calls of one pending pass that decides one new request and routes it. */
  oneRequest: Record<string, number>;
  /** From a pass's start to the last route of the one new request it decides, measured per pass. */
  passToRoutesMs: Record<SweepPass, number>;
  /** Creation of a request no event announces to its routes on both sides. */
  toRoutes: { withPendingPass: Distribution; fullPassAlone: Distribution };
}

/** The report `npm run bench` prints. */
export function formatFigures(f: PendingPassFigures): string[] {
  const n = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
  const pct = (x: number) => `${(100 * x).toFixed(3)}%`;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const { refillPerSecond, capacity } = f.listingBucket;
  const ops = (byOperation: Record<string, number>) =>
    Object.entries(byOperation)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([op, calls]) => `${op} ${n(calls)}`)
      .join(", ");
  const cost = (label: string, c: HourlyCost) => [
    `${label.padEnd(34)} ${n(c.perTargetPerHour)} calls per account-region per hour (${ops(c.byOperation)})`,
    `${"".padEnd(34)} busiest account-region ${c.busiest.target}: ${n(c.busiest.perHour)} per hour; ` +
      `listing bucket: ${pct(refillShare(c.listingsPerHour.average, refillPerSecond))} of its refill ` +
      `(busiest ${pct(refillShare(c.listingsPerHour.busiest, refillPerSecond))})`,
  ];
  const dist = (label: string, d: Distribution) =>
    `${label.padEnd(44)} p50 ${s(d.p50Ms)}, p99 ${s(d.p99Ms)}, max ${s(d.maxMs)} (${d.samples} requests)`;
  return [
    `Pending pass, once a minute over ${f.targets} account-regions (virtual time, ${f.latencyMs} ms per call)`,
    `DescribeVpcPeeringConnections bucket per account-region: ${capacity} tokens, ${refillPerSecond}/s ` +
      `(${n(refillPerSecond * 3600)} per hour)`,
    ...cost("nothing pending", f.nothingPending),
    ...cost(`${f.parked.requests} requests awaiting approval`, f.parked.cost),
    ...cost("full pass every 5 min (for scale)", f.fullPass),
    `one pending pass deciding one new request: ${ops(f.oneRequest)}`,
    `from a pass's start to that request's routes on both sides: pending pass ${s(f.passToRoutesMs.pending)}, ` +
      `full pass ${s(f.passToRoutesMs.full)}`,
    "creation of a request no event announces → its routes on both sides (created uniformly in time):",
    dist("  pending pass each minute, full every 5 min", f.toRoutes.withPendingPass),
    dist("  full pass every 5 min alone", f.toRoutes.fullPassAlone),
  ];
}
