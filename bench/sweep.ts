process.env.WAIT_MIN_DELAY_SECONDS = "1";

import "../demo/env";
import { writeFileSync } from "node:fs";
import type { Context } from "aws-lambda";
import { deliverQueued, installModel, type QueuedFunction } from "../model";
import { loadConfig } from "../shared/config";
import type { ReconcileSummary } from "../shared/workflow/reconcile";
import { useBenchEnvironment } from "./bench-environment";
import { lowerBound } from "./sweep-minimum";
import { buildSweepWorld, NARROW_RULE, narrowOutcome } from "./sweep-world";
import { VirtualClock } from "./virtual-clock";

/**
 * One reconciler sweep of a large organisation (see sweep-world.ts) through the real handler over the
 * in-memory model, with EC2's request buckets modelled per account, region and API and each call
 * costing LATENCY_MS of virtual time. Prints its figures next to the targets, writes bench/sweep.json,
 * and exits non-zero if a target is missed or the narrow rule's connections are not as it wants them
 * after the sweep (routes to the tagged subnets only, port rules opened, the deleted ones' rules
 * revoked, the groups' own rules kept). A second pass over the converged world shows what a routine
 * sweep costs.
 */
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
// Describe buckets as AWS documents them; the mutating bucket is an assumption, configurable.
const DESCRIBE = process.env.BENCH_DESCRIBE_BUCKET ?? "100/20";
const MUTATING = process.env.BENCH_MUTATING_BUCKET ?? "50/5";
// Read as the service reads them, so that the model and the service's pacing agree.
const { pacing } = loadConfig({ EC2_DESCRIBE_BUCKET: DESCRIBE, EC2_MUTATING_BUCKET: MUTATING });
const buckets = { describe: pacing.describe, mutating: pacing.mutating };
const TIME_FACTOR = 1.25;
const CALLS_FACTOR = 1.1;

const sweep = buildSweepWorld();
const { world } = sweep;
world.options.ec2RateLimits = buckets;

useBenchEnvironment({
  name: "sweep",
  policyYaml: sweep.policyYaml,
  regions: sweep.regions,
  describeBucket: DESCRIBE,
  mutatingBucket: MUTATING,
});

const clock = new VirtualClock();
// When, in the first pass, the first accept went out and the last EC2 call came back: the sweep's shape.
const moments = { firstAccept: Number.POSITIVE_INFINITY, lastEc2: 0 };
world.network = async (call) => {
  if (call.operation === "AcceptVpcPeeringConnection")
    moments.firstAccept = Math.min(moments.firstAccept, clock.now);
  await clock.sleep(LATENCY_MS);
  if (call.service === "EC2") moments.lastEc2 = Math.max(moments.lastEc2, clock.now);
};
const { restore } = installModel(world);
const { handler } = await import("../functions/reconcile");
// As the sweep queue delivers a tick: in an SQS batch of one.
const invoke = (event: unknown, context: Context) =>
  deliverQueued(handler as unknown as QueuedFunction, event, context) as Promise<ReconcileSummary>;
const context = {
  invokedFunctionArn: `arn:aws:lambda:us-east-1:${sweep.homeAccount}:function:bench-reconcile`,
  // The deployed reconciler's timeout.
  getRemainingTimeInMillis: () => 900_000,
} as Context;
const scheduled = {
  version: "0",
  id: "bench",
  "detail-type": "Scheduled Event",
  source: "aws.events",
  account: sweep.homeAccount,
  time: new Date().toISOString(),
  region: "us-east-1",
  resources: [],
  detail: {},
};

const wallStart = performance.now();
const pass = async () => {
  const callsBefore = world.calls.length;
  const timeBefore = clock.now;
  const summary = await clock.run(invoke(structuredClone(scheduled), context));
  const calls = world.calls.slice(callsBefore);
  return { summary, calls, ms: clock.now - timeBefore };
};
const first = await pass();
const shape = { ...moments };
const narrow = narrowOutcome(sweep);
const second = await pass();
const wallMs = performance.now() - wallStart;
clock.uninstall();
restore();

const byOperation = (calls: typeof world.calls) => {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[call.operation] = (counts[call.operation] ?? 0) + 1;
  return counts;
};
// The calls that draw on the shared buckets and credentials; audit events (PutEvents) are shown apart.
const bucketed = (calls: typeof world.calls) => calls.filter((c) => c.service !== "EventBridge");
const firstCalls = byOperation(bucketed(first.calls));
const minimumOf: Record<string, number> = sweep.minimum.totals;
const total = bucketed(first.calls).length;
const minimumTotal = sweep.minimum.total;
const bound = lowerBound(sweep.minimum, { latencyMs: LATENCY_MS, ...buckets });
const throttled = world.throttledCalls().length;

const checks = {
  time: first.ms <= TIME_FACTOR * bound.ms,
  calls: total <= CALLS_FACTOR * minimumTotal,
  throttling: throttled === 0 && first.summary.failed === 0 && first.summary.errors.length === 0,
  converged: second.summary.changed === 0 && second.summary.failed === 0,
  narrow: Object.values(narrow).every((ids) => ids.length === 0),
};

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(
  `Reconciler sweep: 20 accounts × ${sweep.regions.length} regions, ${sweep.counts.pending} pending, ` +
    `${sweep.counts.active} active (${sweep.counts.missingRoutes.connections} missing routes), ${sweep.counts.deleted} deleted with routes left`,
);
console.log(
  `EC2 buckets per account, region and API: describe ${DESCRIBE}, mutating ${MUTATING} (tokens/refill per s); ${LATENCY_MS} ms per call`,
);
console.log(
  `virtual time      ${fmt(first.ms)} (≤ ${TIME_FACTOR} × bound ${fmt(bound.ms)} = ${fmt(TIME_FACTOR * bound.ms)}) ${checks.time ? "ok" : "MISSED"}   bound set by ${bound.description}`,
);
console.log(
  `API calls         ${total} (≤ ${CALLS_FACTOR} × minimum ${minimumTotal} = ${Math.floor(CALLS_FACTOR * minimumTotal)}) ${checks.calls ? "ok" : "MISSED"}`,
);
console.log(
  `throttled calls   ${throttled}, failed decisions ${first.summary.failed}, account-region errors ${first.summary.errors.length} (all 0) ${checks.throttling ? "ok" : "MISSED"}`,
);
const n = sweep.counts.narrow;
console.log(
  `${NARROW_RULE} (tagged subnets, 2 ports): ${n.approved} accepted, ${n.active} active ` +
    `(${n.lackingRules.connections} lacking ${n.lackingRules.rules} rules, ${n.wholeVpc} of them routed to the whole VPC; ${n.lackingRoute} lacking a route), ` +
    `${n.deleted} deleted with ${n.leftoverRules} rules left; after the sweep not routed ${narrow.unrouted.length}, ` +
    `not opened ${narrow.unopened.length}, rules left ${narrow.leftover.length}, own rules lost ${narrow.foreignGone.length} (all 0) ${checks.narrow ? "ok" : "MISSED"}`,
);
console.log("operation                          calls  minimum");
const operations = [...new Set([...Object.keys(sweep.minimum.totals), ...Object.keys(firstCalls)])].sort();
for (const op of operations) {
  console.log(
    `  ${op.padEnd(33)} ${String(firstCalls[op] ?? 0).padStart(5)}  ${String(minimumOf[op] ?? 0).padStart(7)}`,
  );
}
const audit = first.calls.filter((c) => c.service === "EventBridge").length;
console.log(
  `first accept sent at ${fmt(shape.firstAccept)}, last EC2 call done at ${fmt(shape.lastEc2)}; ` +
    `then ${audit} PutEvents calls (audit events of ${first.summary.changed} changed connections)`,
);
console.log(`actions: ${JSON.stringify(first.summary.actions)}`);
console.log(
  `second pass (nothing left to do): ${fmt(second.ms)}, ${bucketed(second.calls).length} calls, ${second.summary.changed} changed ${checks.converged ? "ok" : "MISSED"}`,
);
console.log(`wall time ${(wallMs / 1000).toFixed(1)} s, node ${process.version}`);

writeFileSync(
  new URL("./sweep.json", import.meta.url),
  `${JSON.stringify(
    {
      latencyMs: LATENCY_MS,
      buckets,
      counts: sweep.counts,
      virtualMs: first.ms,
      firstAcceptMs: shape.firstAccept,
      lastEc2Ms: shape.lastEc2,
      rateShare: Number(process.env.EC2_RATE_SHARE),
      boundMs: bound.ms,
      boundSetBy: bound.description,
      calls: firstCalls,
      total,
      minimum: sweep.minimum.totals,
      minimumTotal,
      throttled,
      narrow: Object.fromEntries(Object.entries(narrow).map(([what, ids]) => [what, ids.length])),
      summary: first.summary.actions,
      secondPass: { ms: second.ms, calls: bucketed(second.calls).length, changed: second.summary.changed },
      checks,
    },
    null,
    2,
  )}\n`,
);
if (Object.values(checks).some((ok) => !ok)) process.exitCode = 1;
